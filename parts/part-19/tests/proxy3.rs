//! Proxy 3.0 and its tokio twin: a client that hangs up before the poem
//! arrives stops the upstream download. An upstream server of the test's
//! own counts the bytes it sends and the connections it holds open.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

/// What the slow upstream server has done so far.
#[derive(Default)]
struct Counts {
    accepted: AtomicUsize,
    open: AtomicUsize,
    sent: AtomicUsize,
}

/// A poetry server that sends 4 bytes every 5 ms to each client, for up to
/// `chunks` chunks, and stops as soon as a write fails.
fn slow_upstream(chunks: usize) -> (SocketAddr, Arc<Counts>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let addr = listener.local_addr().expect("address");
    let counts = Arc::new(Counts::default());
    let shared = Arc::clone(&counts);
    thread::spawn(move || {
        for socket in listener.incoming() {
            let Ok(mut socket) = socket else { continue };
            shared.accepted.fetch_add(1, Ordering::SeqCst);
            shared.open.fetch_add(1, Ordering::SeqCst);
            let counts = Arc::clone(&shared);
            thread::spawn(move || {
                for _ in 0..chunks {
                    if socket.write_all(b"poem").is_err() {
                        break;
                    }
                    counts.sent.fetch_add(4, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(5));
                }
                counts.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (addr, counts)
}

/// A proxy process; its output lines arrive on a channel. Killed on drop.
struct Proxy {
    child: Child,
    port: u16,
    lines: Receiver<String>,
}

impl Proxy {
    fn start(program: &str, upstream: SocketAddr, extra: &[&str]) -> Proxy {
        let mut child = Command::new(program)
            .args(extra)
            .arg(upstream.port().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the proxy starts");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let (send, lines) = channel();
        thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("the proxy says where it listens");
        let port = first
            .strip_prefix("Proxying poetry on port ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
        Proxy { child, port, lines }
    }

    fn connect(&self) -> TcpStream {
        TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).expect("connect to the proxy")
    }

    /// Waits for a line containing `needle`, and returns it.
    fn wait_for_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("the proxy never printed {needle:?}");
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (up to 10 s) for `done`, failing the test with `what` if it never is.
fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        thread::sleep(Duration::from_millis(5));
    }
}

/// Asserts that the upstream server sends nothing more.
fn assert_sending_stopped(counts: &Counts) {
    wait_until("no upstream connection is open", || {
        counts.open.load(Ordering::SeqCst) == 0
    });
    let sent = counts.sent.load(Ordering::SeqCst);
    thread::sleep(Duration::from_millis(100));
    assert_eq!(counts.sent.load(Ordering::SeqCst), sent, "bytes still sent");
}

fn one_client_hanging_up_stops_the_download(program: &str) {
    let (upstream, counts) = slow_upstream(20_000);
    let proxy = Proxy::start(program, upstream, &[]);
    let client = proxy.connect();
    wait_until("the upstream server has sent something", || {
        counts.sent.load(Ordering::SeqCst) > 0
    });
    let before = counts.sent.load(Ordering::SeqCst);
    drop(client);
    proxy.wait_for_line("Canceling poem download.");
    assert_sending_stopped(&counts);
    // Far less than the 80,000 bytes of the whole poem, and the poem
    // was flowing when the client left.
    assert!(before > 0);
    assert!(counts.sent.load(Ordering::SeqCst) < 80_000);
    assert_eq!(counts.accepted.load(Ordering::SeqCst), 1);
}

fn a_hundred_clients_hanging_up_leave_nothing_open(program: &str, extra: &[&str]) {
    let (upstream, counts) = slow_upstream(20_000);
    let proxy = Proxy::start(program, upstream, extra);
    let clients: Vec<TcpStream> = (0..100).map(|_| proxy.connect()).collect();
    let expected = if extra.contains(&"--no-single-flight") {
        100
    } else {
        1
    };
    wait_until("the upstream server has every download", || {
        counts.accepted.load(Ordering::SeqCst) >= expected
    });
    drop(clients);
    assert_sending_stopped(&counts);
}

fn a_client_that_stays_gets_the_poem(program: &str) {
    let (upstream, counts) = slow_upstream(25);
    let proxy = Proxy::start(program, upstream, &[]);
    let mut client = proxy.connect();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("time limit");
    let mut poem = Vec::new();
    client.read_to_end(&mut poem).expect("the poem");
    assert_eq!(poem, b"poem".repeat(25));
    assert_eq!(counts.sent.load(Ordering::SeqCst), 100);
}

const REACTOR: &str = env!("CARGO_BIN_EXE_poetry-proxy-3");
const TOKIO: &str = env!("CARGO_BIN_EXE_poetry-proxy-3-tokio");

#[test]
fn a_client_hanging_up_cancels_the_upstream_download() {
    one_client_hanging_up_stops_the_download(REACTOR);
}

#[test]
fn a_client_hanging_up_cancels_the_upstream_download_on_tokio() {
    one_client_hanging_up_stops_the_download(TOKIO);
}

#[test]
fn a_hundred_clients_hanging_up_leave_no_upstream_connection() {
    for extra in [&[][..], &["--no-single-flight"][..]] {
        a_hundred_clients_hanging_up_leave_nothing_open(REACTOR, extra);
    }
}

#[test]
fn a_hundred_clients_hanging_up_leave_no_upstream_connection_on_tokio() {
    for extra in [&[][..], &["--no-single-flight"][..]] {
        a_hundred_clients_hanging_up_leave_nothing_open(TOKIO, extra);
    }
}

#[test]
fn a_client_that_stays_gets_the_whole_poem() {
    a_client_that_stays_gets_the_poem(REACTOR);
    a_client_that_stays_gets_the_poem(TOKIO);
}

#[test]
fn both_proxies_have_help_and_refuse_bad_input() {
    for program in [REACTOR, TOKIO] {
        testkit::helps(
            program,
            &[
                "--port",
                "--iface",
                "--max-age",
                "--no-single-flight",
                "UPSTREAM",
            ],
        );
        testkit::refuses(program, &["70000"], "70000");
        testkit::refuses(program, &["--max-age", "soon", "10000"], "soon");
        testkit::refuses(program, &[], "UPSTREAM");
    }
}
