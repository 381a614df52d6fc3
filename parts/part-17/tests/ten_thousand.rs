//! Ten thousand clients at once: `fastpoetry-async` runs as a child
//! process, and this test opens 10,000 connections to it, keeps every one
//! of them open, and checks that each got the whole poem, byte for byte.
//!
//! The clients connect 100 at a time, and each batch waits until the
//! server has answered all of its clients before the next connects: a
//! client connecting while the server's accept queue is full may be left
//! with a connection the server never heard of. Both processes need more
//! than the usual 1,024 open files: the server raises its own limit, and
//! so does this test. Alone in its file on purpose: it uses thousands of
//! descriptors, which would disturb tests running beside it.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SERVER: &str = env!("CARGO_BIN_EXE_fastpoetry-async");
const CLIENTS: usize = 10_000;
const BATCH: usize = 100;
/// Descriptors a process needs besides its sockets.
const SPARE: u64 = 100;

/// The server's process, killed when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn ten_thousand_clients_each_get_the_whole_poem() {
    let needed = CLIENTS as u64 + SPARE;
    let raised = part_11::raise_file_limit().expect("the limit on open files can be raised");
    assert!(
        raised.soft >= needed,
        "this test needs {needed} open files, but the hard limit here is {} (see `ulimit -Hn`)",
        raised.hard
    );
    let path = format!("{}/../../poetry/ecstasy.txt", env!("CARGO_MANIFEST_DIR"));
    let poem = std::fs::read(&path).expect("the poem");
    let mut child = Command::new(SERVER)
        .args(["--iface", "127.0.0.1", &path])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("fastpoetry-async starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let server = Server(child);
    let first = lines.next().expect("a first line").expect("readable");
    let port: u16 = first
        .rsplit_once(" on port ")
        .and_then(|(_, port)| port.strip_suffix('.'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    // The server prints two lines per client: count them on a thread, so
    // that a full pipe never stalls it.
    let tally = std::thread::spawn(move || {
        let (mut accepted, mut sent, mut other) = (0, 0, Vec::new());
        for line in lines.map_while(Result::ok) {
            if line.starts_with("Somebody at ") {
                accepted += 1;
            } else if line.starts_with("Sent ") {
                sent += 1;
                if sent == CLIENTS {
                    break;
                }
            } else {
                other.push(line);
            }
        }
        (accepted, sent, other)
    });

    let mut open = Vec::with_capacity(CLIENTS);
    while open.len() < CLIENTS {
        let batch: Vec<TcpStream> = (0..BATCH)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connects"))
            .collect();
        for mut socket in batch {
            socket
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            let mut got = Vec::with_capacity(poem.len());
            socket
                .read_to_end(&mut got)
                .unwrap_or_else(|e| panic!("client {} failed: {e}", open.len()));
            assert_eq!(got, poem, "client {} got the whole poem", open.len());
            open.push(socket); // held open until the end
        }
    }
    assert_eq!(open.len(), CLIENTS);
    let (accepted, sent, other) = tally.join().expect("the server's lines were read");
    drop(server);
    assert_eq!((accepted, sent), (CLIENTS, CLIENTS));
    assert!(other.is_empty(), "{other:?}");
}
