//! Ten thousand clients at once: `slowpoetry-async` runs as a child
//! process, and this test holds 10,000 client sockets to it, reads them
//! all with non-blocking sockets on `mio`, and checks that every client
//! gets the whole poem, byte for byte.
//!
//! Both processes need more than the usual 1,024 open files. The server
//! raises its own limit when it starts; to show that it does, the test
//! starts it with a soft limit of 1,024, and only then raises its own. If
//! the machine's hard limit is too low for 10,000 connections, the test
//! says so and fails: it does not quietly test something smaller.
//!
//! This is the only test in this file on purpose: it changes the process's
//! limit on open files and uses thousands of them, which would disturb
//! other tests running beside it.

use std::io::{self, BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

const SERVER: &str = env!("CARGO_BIN_EXE_slowpoetry-async");

/// How many clients connect.
const CLIENTS: usize = 10_000;
/// Descriptors a process needs besides its sockets (standard streams, the
/// epoll set, the listening socket, the test harness's own).
const SPARE: u64 = 100;
/// How many clients connect at a time. The test connects 100, waits until
/// each of them has its first chunk (the server has accepted them all),
/// and only then connects the next 100, so that it knows when all of them
/// are being served. (A burst of 10,000 at once is `burst.rs`'s test: the
/// server's listen queue holds 4,096 connections it has not accepted.)
const BATCH: usize = 100;
/// How long the whole exchange may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(60);
/// The server's pacing: 2,726 bytes in 6 chunks of 500, 0.4 s apart, so
/// one poem takes 2 s, longer than connecting them all takes (under 1 s
/// on a laptop), and the clients are all being served at the same time.
const PACING: [&str; 4] = ["--num-bytes", "500", "--delay", "0.4"];

fn poem_path() -> String {
    format!("{}/../../poetry/ecstasy.txt", env!("CARGO_MANIFEST_DIR"))
}

/// The server's process, killed when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the server printed, tallied on a thread of its own: with 10,000
/// clients it prints tens of thousands of lines, and an unread pipe would
/// stall it.
#[derive(Debug, Default)]
struct Tally {
    accepted: usize,
    finished: usize,
    hung_up: Vec<String>,
    other: Vec<String>,
}

/// Starts the server and returns it, its port, and the thread tallying
/// the rest of its output.
fn start_server() -> (Server, u16, JoinHandle<Tally>) {
    let path = poem_path();
    let mut args = vec!["--iface", "127.0.0.1"];
    args.extend(PACING);
    args.push(&path);
    let mut child = Command::new(SERVER)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("slowpoetry-async starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let server = Server(child);
    let first = lines
        .next()
        .expect("a first line")
        .expect("stdout is readable");
    let port = first
        .rsplit_once(" on port ")
        .and_then(|(_, port)| port.strip_suffix('.'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    let tally = std::thread::spawn(move || {
        let mut tally = Tally::default();
        for line in lines.map_while(Result::ok) {
            if line.starts_with("Somebody at ") {
                tally.accepted += 1;
            } else if line.starts_with("Sent ") {
                tally.finished += 1;
                if tally.finished == CLIENTS {
                    break;
                }
            } else if line.contains(" hung up ") {
                tally.hung_up.push(line);
            } else if !line.starts_with("Sending ") {
                tally.other.push(line);
            }
        }
        tally
    });
    (server, port, tally)
}

/// One client: its socket, and how much of the poem has arrived.
struct Client {
    socket: TcpStream,
    got: usize,
    done: bool,
}

/// The test's side: 10,000 clients, one `mio::Poll`.
struct Clients {
    poll: Poll,
    events: Events,
    clients: Vec<Client>,
    poem: Vec<u8>,
    done: usize,
    /// The most clients connected and not yet finished at one time.
    peak: usize,
}

impl Clients {
    fn connect(&mut self, addr: SocketAddr) -> io::Result<()> {
        let token = Token(self.clients.len());
        let mut socket = TcpStream::connect(addr)?;
        self.poll
            .registry()
            .register(&mut socket, token, Interest::READABLE)?;
        self.clients.push(Client {
            socket,
            got: 0,
            done: false,
        });
        self.peak = self.peak.max(self.clients.len() - self.done);
        Ok(())
    }

    /// Waits up to `timeout` for sockets to be readable and reads each
    /// until it would block, checking every byte against the poem.
    fn read_ready(&mut self, timeout: Duration) {
        self.poll
            .poll(&mut self.events, Some(timeout))
            .expect("poll");
        let mut buffer = [0; 4096];
        for event in self.events.iter() {
            let index = event.token().0;
            let client = &mut self.clients[index];
            while !client.done {
                match client.socket.read(&mut buffer) {
                    Ok(0) => {
                        assert_eq!(
                            client.got,
                            self.poem.len(),
                            "client {index} was closed before the end of the poem"
                        );
                        client.done = true;
                        self.done += 1;
                    }
                    Ok(n) => {
                        let expected = self.poem.get(client.got..client.got + n);
                        assert_eq!(
                            Some(&buffer[..n]),
                            expected,
                            "client {index} got wrong bytes at offset {}",
                            client.got
                        );
                        client.got += n;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    // Still connecting: the handshake is not over yet.
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => break,
                    Err(e) => panic!("client {index} failed after {} bytes: {e}", client.got),
                }
            }
        }
    }
}

#[test]
fn ten_thousand_clients_at_once_each_get_the_whole_poem() {
    let needed = CLIENTS as u64 + SPARE;
    let limit = part_11::file_limit().expect("the limit on open files can be read");
    assert!(
        limit.hard >= needed,
        "this test needs to hold {CLIENTS} connections, so at least {needed} open files in \
         each of its two processes, but the hard limit on open files here is {} (see `ulimit -Hn`); \
         raise it (for example in /etc/security/limits.conf) and run the test again",
        limit.hard
    );

    // The server inherits a soft limit of 1,024 and must raise its own.
    part_11::set_file_limit(1024).expect("the soft limit can be lowered");
    let (server, port, tally) = start_server();
    let raised = part_11::raise_file_limit().expect("the soft limit can be raised");
    assert!(raised.soft >= needed, "{raised:?}");

    let poem = std::fs::read(poem_path()).expect("the poem");
    let mut clients = Clients {
        poll: Poll::new().expect("a poll"),
        events: Events::with_capacity(1024),
        clients: Vec::with_capacity(CLIENTS),
        poem,
        done: 0,
        peak: 0,
    };
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let start = Instant::now();
    while clients.clients.len() < CLIENTS {
        for _ in 0..BATCH.min(CLIENTS - clients.clients.len()) {
            clients
                .connect(addr)
                .unwrap_or_else(|e| panic!("client {} cannot connect: {e}", clients.clients.len()));
        }
        // Wait for the server to accept the whole batch (each client
        // gets its first chunk then), reading what comes meanwhile.
        while clients.clients.iter().rev().take(BATCH).any(|c| c.got == 0) {
            assert!(
                start.elapsed() < DEADLINE,
                "after {DEADLINE:?}, the server has accepted only some of {} clients",
                clients.clients.len()
            );
            clients.read_ready(Duration::from_millis(10));
        }
    }
    let connected = start.elapsed();
    while clients.done < CLIENTS {
        if start.elapsed() > DEADLINE {
            let waiting: Vec<&Client> = clients.clients.iter().filter(|c| !c.done).collect();
            let nothing = waiting.iter().filter(|c| c.got == 0).count();
            panic!(
                "after {DEADLINE:?}, {} of {CLIENTS} clients still lack their whole poem \
                 ({nothing} of them got nothing at all)",
                waiting.len()
            );
        }
        clients.read_ready(Duration::from_millis(100));
    }
    let took = start.elapsed();
    // Every socket is still open here: the test held all of them.
    assert_eq!(clients.clients.len(), CLIENTS);
    assert!(
        clients
            .clients
            .iter()
            .all(|c| c.done && c.got == clients.poem.len())
    );

    let tally = tally.join().expect("the server's output was read");
    drop(server);
    assert_eq!(tally.accepted, CLIENTS, "{tally:?}");
    assert_eq!(tally.finished, CLIENTS);
    assert!(tally.hung_up.is_empty(), "{:?}", tally.hung_up);
    assert!(tally.other.is_empty(), "{:?}", tally.other);
    eprintln!(
        "{CLIENTS} clients connected in {connected:?}, all served in {took:?}; \
         at most {} were connected and unfinished at once",
        clients.peak
    );
    // Served at once, not in turn: a poem takes 2 s, so in turn they would
    // take hours, and even a few at a time would blow the deadline.
    assert!(
        clients.peak >= CLIENTS / 2,
        "only {} clients were ever being served at once",
        clients.peak
    );
}
