//! What the tests of this part share: starting a server program and
//! learning its port, reading until the server closes, checking that bad
//! input gets one clear error, and running a reactor in the test while
//! clients on another thread talk to it.

#![allow(dead_code)] // each test file uses some of these

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use part_02::testing::{Running, run};
use part_03::Reactor;

/// A bundled poem's path.
pub fn poem_path(name: &str) -> String {
    format!("{}/../../poetry/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A bundled poem's bytes, as the servers read them.
pub fn poem(name: &str) -> Vec<u8> {
    std::fs::read(poem_path(name)).expect("a bundled poem")
}

/// Starts a server and reads its port from its first line,
/// `Serving FILE on port N.`
pub fn start(program: &str, args: &[&str]) -> (Running, u16) {
    let mut server = Running::start(program, args);
    let first = server.line();
    let port = first
        .strip_prefix("Serving ")
        .and_then(|rest| rest.rsplit_once(" on port "))
        .and_then(|(_, port)| port.strip_suffix('.'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    (server, port)
}

/// Connects to a server on 127.0.0.1, with a read time limit so that a
/// broken server fails the test instead of hanging it.
pub fn connect(port: u16) -> TcpStream {
    connect_to(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
}

/// Connects to `addr`, with the same read time limit as [`connect`].
pub fn connect_to(addr: SocketAddr) -> TcpStream {
    let socket = TcpStream::connect(addr).expect("connect");
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read time limit");
    socket
}

/// Reads until the server closes, noting each read's time and size.
pub fn read_all(socket: &mut TcpStream) -> (Vec<u8>, Vec<(Instant, usize)>) {
    let mut poem = Vec::new();
    let mut reads = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let n = socket.read(&mut buffer).expect("read");
        if n == 0 {
            return (poem, reads);
        }
        reads.push((Instant::now(), n));
        poem.extend_from_slice(&buffer[..n]);
    }
}

/// Runs a program on bad input: it must exit at once, non-zero, with an
/// `error:` line and no panic.
pub fn refuses(program: &str, args: &[&str], message: &str) {
    let out = run(program, args);
    assert!(!out.status.success(), "{args:?} should fail");
    let first = out.stderr.lines().next().unwrap_or("");
    assert!(first.starts_with("error: "), "{args:?}: {}", out.stderr);
    assert!(
        out.stderr.contains(message),
        "{args:?}: expected {message:?} in {}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

/// Checks that `--help` names every option and default of a poetry server.
pub fn helps(program: &str, expected: &[&str]) {
    let out = run(program, &["--help"]);
    assert!(out.status.success());
    for wanted in expected {
        assert!(
            out.stdout.contains(wanted),
            "--help lacks {wanted}:\n{}",
            out.stdout
        );
    }
}

/// Runs the reactor until `thread` (the clients) has finished, and returns
/// what the thread returned. Fails the test if the thread is still running
/// after 10 s, rather than letting it hang.
pub fn run_until<T: 'static>(reactor: &Reactor, thread: JoinHandle<T>) -> T {
    fn watch<T: 'static>(reactor: Reactor, thread: Rc<JoinHandle<T>>, deadline: Instant) {
        if thread.is_finished() || Instant::now() > deadline {
            let _ = reactor.stop();
        } else {
            let again = reactor.clone();
            reactor.call_later(Duration::from_millis(2), move || {
                watch(again, thread, deadline)
            });
        }
    }
    let thread = Rc::new(thread);
    let deadline = Instant::now() + Duration::from_secs(10);
    watch(reactor.clone(), Rc::clone(&thread), deadline);
    reactor.run().unwrap();
    let thread = Rc::try_unwrap(thread).unwrap_or_else(|_| panic!("still watched"));
    assert!(
        thread.is_finished(),
        "the client thread did not finish in time"
    );
    thread.join().unwrap()
}
