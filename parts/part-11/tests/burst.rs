//! A burst: 10,000 clients connect at the same moment (no pacing, no
//! batches) to `fastpoetry`, `fastpoetry-tokio` and `slowpoetry-async`,
//! and every one of them must get the whole poem. With std's listen
//! backlog of 128, a few percent of them were left waiting for ever: their
//! handshakes overflowed the server's accept queue, and Linux drops the
//! last packet of such a handshake rather than refuse it.
//!
//! The test holds 10,000 sockets, so it raises its own limit on open files
//! (the servers raise theirs). If the machine's hard limit is too low, it
//! says so and fails: it does not quietly test something smaller. It is
//! alone in its file because of that limit and those sockets.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use testkit::{Neglect, NeglectedServer, poem, poem_path};

/// How many clients connect at once.
const CLIENTS: usize = 10_000;
/// Descriptors the test needs besides its sockets.
const SPARE: u64 = 100;
/// How long one burst may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(60);
/// A short poem keeps the burst cheap: what is tested is the connecting.
const POEM: &str = "panther.txt";

/// Connects `CLIENTS` non-blocking sockets to `addr` all at once, then
/// reads them all until each server side closes. Panics unless every
/// client got exactly `poem`.
fn burst(program: &str, addr: SocketAddr, poem: &[u8]) -> Duration {
    let start = Instant::now();
    let mut poll = Poll::new().expect("a poll");
    let mut sockets = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let mut socket = TcpStream::connect(addr)
            .unwrap_or_else(|e| panic!("{program}: client {i} cannot connect: {e}"));
        poll.registry()
            .register(&mut socket, Token(i), Interest::READABLE)
            .expect("register");
        sockets.push((socket, Vec::new(), false));
    }
    let mut events = Events::with_capacity(1024);
    let mut done = 0;
    let mut buffer = [0; 4096];
    while done < CLIENTS {
        if start.elapsed() > DEADLINE {
            let nothing = sockets.iter().filter(|(_, got, _)| got.is_empty()).count();
            panic!(
                "{program}: after {DEADLINE:?}, {} of {CLIENTS} clients lack their poem \
                 ({nothing} got nothing at all)",
                CLIENTS - done
            );
        }
        poll.poll(&mut events, Some(Duration::from_millis(100)))
            .expect("poll");
        for event in events.iter() {
            let (socket, got, finished) = &mut sockets[event.token().0];
            while !*finished {
                match socket.read(&mut buffer) {
                    Ok(0) => {
                        assert_eq!(got, poem, "{program}: client {}", event.token().0);
                        *finished = true;
                        done += 1;
                    }
                    Ok(n) => got.extend_from_slice(&buffer[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => break,
                    Err(e) => panic!("{program}: client {} failed: {e}", event.token().0),
                }
            }
        }
    }
    start.elapsed()
}

#[test]
fn ten_thousand_clients_connecting_at_once_all_get_the_poem() {
    let needed = CLIENTS as u64 + SPARE;
    let limit = part_11::file_limit().expect("the limit on open files can be read");
    assert!(
        limit.hard >= needed,
        "this test needs {needed} open files in each of its processes, but the hard limit \
         here is {} (see `ulimit -Hn`); raise it and run the test again",
        limit.hard
    );
    let raised = part_11::raise_file_limit().expect("the soft limit can be raised");
    assert!(raised.soft >= needed, "{raised:?}");

    let path = poem_path(POEM);
    let expected = poem(POEM);
    let paced = ["--num-bytes", "100000", "--delay", "0", &path];
    for (program, args) in [
        (env!("CARGO_BIN_EXE_fastpoetry"), &[path.as_str()][..]),
        (env!("CARGO_BIN_EXE_fastpoetry-tokio"), &[path.as_str()][..]),
        (env!("CARGO_BIN_EXE_slowpoetry-async"), &paced[..]),
    ] {
        // Nobody reads the server's log: 10,000 clients make too many
        // lines to read, and a closed output must not slow it down.
        let server = NeglectedServer::start(program, args, Neglect::Close);
        let took = burst(program, ([127, 0, 0, 1], server.port).into(), expected);
        eprintln!("{program}: {CLIENTS} clients at once, all served in {took:?}");
    }
}
