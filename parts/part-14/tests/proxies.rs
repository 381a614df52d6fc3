//! The three proxies as programs, checked from outside with plain
//! `std::net` clients, against an upstream server that counts its
//! connections: caching, expiry, single-flight (and proxy 1.0's lack of
//! it), an unreachable upstream and recovery, `--help` and bad input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use part_14::CountingServer;
use testkit::{self, closed_port, poem};

const PROXY_1: &str = env!("CARGO_BIN_EXE_poetry-proxy-1");
const PROXY_2: &str = env!("CARGO_BIN_EXE_poetry-proxy-2");
const PROXY_TOKIO: &str = env!("CARGO_BIN_EXE_poetry-proxy-tokio");

/// The proxies with single-flight (the default).
const SHARING: [&str; 2] = [PROXY_2, PROXY_TOKIO];

/// How long the upstream server waits before answering when a test needs
/// requests to overlap a download.
const SLOW: Duration = Duration::from_millis(400);

/// A proxy running as a child process, its output lines collected.
struct Proxy {
    child: Child,
    port: u16,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Proxy {
    /// Starts `program` with `args`, and reads its port from its first
    /// line, `Proxying poetry on port N for the server at ADDRESS.`
    fn start(program: &str, args: &[&str]) -> Proxy {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the proxy starts");
        let stdout = lines(child.stdout.take().expect("piped stdout"));
        let stderr = lines(child.stderr.take().expect("piped stderr"));
        let first = stdout.recv_timeout(testkit::LIMIT).expect("a first line");
        let port = first
            .strip_prefix("Proxying poetry on port ")
            .and_then(|rest| rest.split_once(' '))
            .and_then(|(port, _)| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
        Proxy {
            child,
            port,
            stdout,
            stderr,
        }
    }

    /// One client: connect, read until the proxy closes.
    fn fetch(&self) -> Vec<u8> {
        read_all(self.connect())
    }

    fn connect(&self) -> TcpStream {
        let socket = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the proxy");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("a read time limit");
        socket
    }

    /// `n` clients connected at once, then each read to the end. The
    /// proxy is stopped (`SIGSTOP`) while they connect, so that it finds
    /// all of them waiting when it goes on, whatever the timing: the
    /// kernel completes a connection before the server accepts it.
    fn fetch_together(&self, n: usize) -> Vec<Vec<u8>> {
        self.signal("-STOP");
        let sockets: Vec<_> = (0..n).map(|_| self.connect()).collect();
        self.signal("-CONT");
        sockets.into_iter().map(read_all).collect()
    }

    fn signal(&self, which: &str) {
        let status = Command::new("kill")
            .args([which, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {which}");
    }

    /// Waits for a line of standard output or error containing `needle`.
    fn expect_line(&self, err: bool, needle: &str) -> String {
        let lines = if err { &self.stderr } else { &self.stdout };
        loop {
            let line = lines
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The lines of a stream, as they come, on a thread.
fn lines(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

fn read_all(mut socket: TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    socket.read_to_end(&mut bytes).expect("read until closed");
    bytes
}

fn upstream(delay: Duration) -> (CountingServer, &'static [u8]) {
    let poem = poem("science.txt");
    (
        CountingServer::spawn(poem, delay).expect("an upstream server"),
        poem,
    )
}

fn port_of(server: &CountingServer) -> String {
    server.addr().port().to_string()
}

#[test]
fn every_proxy_caches_the_poem() {
    for program in [PROXY_1, PROXY_2, PROXY_TOKIO] {
        let (server, poem) = upstream(Duration::ZERO);
        let proxy = Proxy::start(program, &[&port_of(&server)]);
        assert_eq!(proxy.fetch(), poem, "{program}: first request");
        assert_eq!(
            server.accepted(),
            1,
            "{program}: the first request downloads"
        );
        proxy.expect_line(false, "Fetching poem from server.");
        for _ in 0..3 {
            assert_eq!(proxy.fetch(), poem, "{program}: later requests");
        }
        proxy.expect_line(false, "Using cached poem.");
        assert_eq!(server.accepted(), 1, "{program}: later requests are cached");
    }
}

#[test]
fn a_poem_older_than_max_age_is_fetched_again() {
    for program in SHARING {
        let (server, poem) = upstream(Duration::ZERO);
        let proxy = Proxy::start(program, &["--max-age", "0.6", &port_of(&server)]);
        assert_eq!(proxy.fetch(), poem);
        assert_eq!(proxy.fetch(), poem);
        assert_eq!(server.accepted(), 1, "{program}: fresh, cached");
        thread::sleep(Duration::from_millis(700));
        assert_eq!(proxy.fetch(), poem);
        assert_eq!(server.accepted(), 2, "{program}: stale, fetched again");
        proxy.expect_line(false, "old; fetching it again.");
        assert_eq!(proxy.fetch(), poem);
        assert_eq!(server.accepted(), 2, "{program}: fresh again");
    }
}

#[test]
fn concurrent_first_requests_share_one_download() {
    for program in SHARING {
        let (server, poem) = upstream(SLOW);
        let proxy = Proxy::start(program, &[&port_of(&server)]);
        let poems = proxy.fetch_together(5);
        assert!(
            poems.iter().all(|got| got == poem),
            "{program}: every client"
        );
        assert_eq!(server.accepted(), 1, "{program}: one download");
        proxy.expect_line(false, "Waiting for the download under way");
    }
}

#[test]
fn proxy_1_downloads_once_per_concurrent_first_request() {
    // The series' flaw, kept on purpose; and proxy 2.0 without
    // single-flight behaves the same.
    for (program, args) in [
        (PROXY_1, &[][..]),
        (PROXY_2, &["--no-single-flight"][..]),
        (PROXY_TOKIO, &["--no-single-flight"][..]),
    ] {
        let (server, poem) = upstream(SLOW);
        let port = port_of(&server);
        let mut all = args.to_vec();
        all.push(&port);
        let proxy = Proxy::start(program, &all);
        let poems = proxy.fetch_together(5);
        assert!(
            poems.iter().all(|got| got == poem),
            "{program}: every client"
        );
        assert_eq!(server.accepted(), 5, "{program}: a download each");
        // Once one has finished, the poem is cached.
        assert_eq!(proxy.fetch(), poem);
        assert_eq!(server.accepted(), 5, "{program}: then cached");
    }
}

#[test]
fn an_unreachable_upstream_closes_every_waiting_client_then_recovers() {
    for program in [PROXY_1, PROXY_2, PROXY_TOKIO] {
        let port = closed_port();
        let proxy = Proxy::start(program, &[&port.to_string()]);
        let poems = proxy.fetch_together(3);
        assert!(
            poems.iter().all(Vec::is_empty),
            "{program}: closed without a poem"
        );
        for _ in 0..3 {
            let line = proxy.expect_line(true, "Closing the connection to");
            assert!(
                line.contains(&format!("cannot get the poem from 127.0.0.1:{port}")),
                "{program}: {line}"
            );
        }
        // The upstream server comes up: the next request tries again.
        let poem = poem("science.txt");
        let server =
            CountingServer::spawn_on(port, poem, Duration::ZERO).expect("upstream on its port");
        assert_eq!(proxy.fetch(), poem, "{program}: recovered");
        assert_eq!(server.accepted(), 1);
        assert_eq!(proxy.fetch(), poem);
        assert_eq!(server.accepted(), 1, "{program}: and cached");
    }
}

#[test]
fn a_failed_shared_download_is_tried_once_and_reported_once() {
    for program in SHARING {
        let proxy = Proxy::start(program, &[&closed_port().to_string()]);
        let poems = proxy.fetch_together(4);
        assert!(poems.iter().all(Vec::is_empty), "{program}");
        proxy.expect_line(true, "The download failed");
        for _ in 0..4 {
            proxy.expect_line(true, "Closing the connection to");
        }
        // Exactly one download was attempted: one failure line, no more.
        thread::sleep(Duration::from_millis(100));
        let more: Vec<_> = proxy.stderr.try_iter().collect();
        assert!(
            more.iter()
                .all(|line| !line.contains("The download failed")),
            "{program}: {more:?}"
        );
        let fetching = proxy
            .stdout
            .try_iter()
            .filter(|line| line.contains("Fetching poem"))
            .count();
        assert_eq!(fetching, 1, "{program}");
    }
}

/// Every proxy, in every mode.
const EVERY_MODE: [(&str, &[&str]); 5] = [
    (PROXY_1, &[]),
    (PROXY_2, &[]),
    (PROXY_2, &["--no-single-flight"]),
    (PROXY_TOKIO, &[]),
    (PROXY_TOKIO, &["--no-single-flight"]),
];

/// A hostile upstream: it hangs up at once, without a byte, on its first
/// `empty` connections, then sends `poem` to every later one. Returns its
/// port and how many connections it accepted so far.
fn flaky_upstream(empty: usize, poem: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener
        .local_addr()
        .expect("an address")
        .port()
        .to_string();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&accepted);
    thread::spawn(move || {
        for socket in listener.incoming() {
            let Ok(mut socket) = socket else { continue };
            if counted.fetch_add(1, Ordering::SeqCst) >= empty {
                let _ = socket.write_all(poem);
            }
        }
    });
    (port, accepted)
}

/// `args`, then the upstream's port.
fn with_upstream<'a>(args: &[&'a str], port: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.push(port);
    all
}

#[test]
fn an_empty_download_is_a_failure_and_never_cached() {
    for (program, args) in EVERY_MODE {
        let poem = poem("science.txt");
        let (port, accepted) = flaky_upstream(1, poem);
        let proxy = Proxy::start(program, &with_upstream(args, &port));
        assert!(
            proxy.fetch().is_empty(),
            "{program} {args:?}: nothing to send"
        );
        let line = proxy.expect_line(true, "Closing the connection to");
        assert!(
            line.contains("the server sent nothing"),
            "{program}: {line}"
        );
        assert_eq!(
            proxy.fetch(),
            poem,
            "{program} {args:?}: the next request tries again"
        );
        assert_eq!(accepted.load(Ordering::SeqCst), 2, "{program} {args:?}");
        assert_eq!(proxy.fetch(), poem, "{program} {args:?}: then cached");
        assert_eq!(accepted.load(Ordering::SeqCst), 2, "{program} {args:?}");
    }
}

#[test]
fn a_hung_upstream_is_given_up_after_the_upstream_timeout() {
    for (program, args) in EVERY_MODE {
        let hung = testkit::silent_server();
        let port = hung.local_addr().expect("an address").port().to_string();
        let mut all = vec!["--upstream-timeout", "1"];
        all.extend(with_upstream(args, &port));
        let proxy = Proxy::start(program, &all);
        let started = std::time::Instant::now();
        let poems = proxy.fetch_together(3);
        assert!(poems.iter().all(Vec::is_empty), "{program} {args:?}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{program} {args:?}: {:?}",
            started.elapsed()
        );
        let line = proxy.expect_line(true, "Closing the connection to");
        assert!(line.contains("timed out"), "{program} {args:?}: {line}");
    }
}

#[test]
fn clients_that_leave_release_everything_held_for_them() {
    for (program, args) in EVERY_MODE {
        let hung = testkit::silent_server();
        let port = hung.local_addr().expect("an address").port().to_string();
        let proxy = Proxy::start(program, &with_upstream(args, &port));
        let pid = proxy.child.id();
        let before = testkit::open_sockets(pid);
        // Twenty clients ask, wait a moment, and give up.
        let clients: Vec<_> = (0..20).map(|_| proxy.connect()).collect();
        thread::sleep(Duration::from_millis(300));
        drop(clients);
        // What is left: at most the one download still under way (a loaded
        // machine may take a while to let go of twenty).
        let let_go = testkit::eventually(Duration::from_secs(20), || {
            testkit::open_sockets(pid) <= before + 1
        });
        let left = testkit::open_sockets(pid);
        assert!(
            let_go,
            "{program} {args:?}: {before} sockets before, {left} after the clients left"
        );
    }
}

#[test]
fn every_proxy_serves_with_its_output_closed_or_unread() {
    let (server, poem) = upstream(Duration::ZERO);
    let port = port_of(&server);
    for program in [PROXY_1, PROXY_2, PROXY_TOKIO] {
        testkit::serves_when_nobody_reads(program, &[&port], 2000, testkit::fetch_poem, poem);
    }
}

#[test]
fn help_names_every_option() {
    for program in [PROXY_1, PROXY_2, PROXY_TOKIO] {
        let output = testkit::run(program, &["--help"]);
        assert!(output.status.success());
        for option in ["--port", "--iface", "UPSTREAM"] {
            assert!(output.stdout.contains(option), "{program}: {option}");
        }
    }
    for program in SHARING {
        let output = testkit::run(program, &["--help"]);
        for option in ["--max-age", "--no-single-flight"] {
            assert!(output.stdout.contains(option), "{program}: {option}");
        }
    }
}

#[test]
fn bad_input_is_one_clear_error() {
    let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy_port = busy.local_addr().expect("an address").port().to_string();
    for program in [PROXY_1, PROXY_2, PROXY_TOKIO] {
        let cases: Vec<(Vec<&str>, &str)> = vec![
            (vec![], "UPSTREAM"),
            (vec!["not a port"], "invalid value"),
            (vec!["no-such-host.invalid:10000"], "cannot resolve address"),
            (vec!["--port", &busy_port, "10000"], "cannot listen on"),
        ];
        for (args, expected) in cases {
            let output = testkit::run(program, &args);
            assert!(!output.status.success(), "{program} {args:?}");
            assert!(
                output.stderr.starts_with("error: "),
                "{program} {args:?}: {}",
                output.stderr
            );
            assert!(
                output.stderr.contains(expected),
                "{program} {args:?}: {}",
                output.stderr
            );
            assert!(!output.stderr.contains("panicked"), "{program} {args:?}");
        }
    }
    for program in SHARING {
        let output = testkit::run(program, &["--max-age", "-1", "10000"]);
        assert!(!output.status.success());
        assert!(output.stderr.starts_with("error: "), "{}", output.stderr);
    }
}
