//! What the tests of this part's server programs share: starting a server
//! and learning its port, reading until the server closes, and checking
//! that bad input gets one clear error.

#![allow(dead_code)] // each test file uses some of these

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use part_02::testing::{Running, run};

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
    let socket = TcpStream::connect(("127.0.0.1", port)).expect("connect");
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
