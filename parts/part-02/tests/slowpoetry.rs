//! The `slowpoetry` server on the wire, checked with a plain `std::net`
//! client: the exact bytes, the chunk size, the pacing, the close, a client
//! that hangs up, one client at a time; and its answers to bad input.

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use part_02::testing::{Running, run};

const SERVER: &str = env!("CARGO_BIN_EXE_slowpoetry");

fn poem_path(name: &str) -> String {
    format!("{}/../../poetry/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Starts the server and reads the port from its first line.
fn start(args: &[&str]) -> (Running, u16) {
    let mut server = Running::start(SERVER, args);
    let first = server.line();
    let port = first
        .strip_prefix("Serving ")
        .and_then(|rest| rest.rsplit_once(" on port "))
        .and_then(|(_, port)| port.strip_suffix('.'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    (server, port)
}

/// Reads until the server closes, noting each read's size and time.
fn read_all(socket: &mut TcpStream) -> (Vec<u8>, Vec<(Instant, usize)>) {
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

#[test]
fn sends_the_poem_byte_for_byte_in_paced_chunks_then_closes() {
    let path = poem_path("panther.txt");
    let expected = std::fs::read(&path).unwrap();
    let (num_bytes, delay) = (100, Duration::from_millis(100));
    let (mut server, port) = start(&["--num-bytes", "100", "--delay", "0.1", &path]);

    let started = Instant::now();
    let mut socket = TcpStream::connect(("127.0.0.1", port)).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let (poem, reads) = read_all(&mut socket);

    assert_eq!(poem, expected, "the poem's exact bytes, non-ASCII included");
    let chunks = expected.len().div_ceil(num_bytes);
    assert_eq!(reads.len(), chunks, "one read per chunk: {reads:?}");
    assert!(reads.iter().all(|&(_, n)| n <= num_bytes), "{reads:?}");
    // Consecutive chunks are about `delay` apart, never much closer.
    for pair in reads.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(gap >= delay.mul_f64(0.7), "chunks only {gap:?} apart");
    }
    assert!(started.elapsed() >= delay * (chunks as u32 - 1));

    assert_eq!(
        server.line(),
        format!("Somebody at {} wants poetry!", socket.local_addr().unwrap())
    );
    for _ in 0..chunks - 1 {
        assert_eq!(server.line(), "Sending 100 bytes");
    }
    assert_eq!(
        server.line(),
        format!("Sending {} bytes", expected.len() % num_bytes)
    );
}

#[test]
fn survives_a_client_that_hangs_up_and_serves_the_next() {
    let path = poem_path("science.txt");
    let expected = std::fs::read(&path).unwrap();
    let (mut server, port) = start(&["--num-bytes", "20", "--delay", "0.02", &path]);

    let mut quitter = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut first = [0; 20];
    quitter.read_exact(&mut first).unwrap();
    assert_eq!(first, expected[..20]);
    drop(quitter);

    let mut next = TcpStream::connect(("127.0.0.1", port)).unwrap();
    next.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert_eq!(read_all(&mut next).0, expected);

    let lines: Vec<String> = std::iter::from_fn(|| Some(server.line()))
        .take_while(|line| !line.starts_with("Sent "))
        .collect();
    assert!(
        lines.iter().any(|l| l.contains("hung up after")),
        "the server reports the hang-up: {lines:?}"
    );
}

#[test]
fn serves_one_client_at_a_time() {
    let path = poem_path("science.txt");
    let (_server, port) = start(&["--num-bytes", "200", "--delay", "0.05", &path]);

    let mut first = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut second = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (_, first_reads) = read_all(&mut first);
    let (poem, second_reads) = read_all(&mut second);
    let first_done = first_reads.last().unwrap().0;
    let second_began = second_reads.first().unwrap().0;
    assert!(
        second_began > first_done,
        "the second client waited its turn"
    );
    assert_eq!(poem.len(), 661);
}

#[test]
fn help_lists_the_series_options_and_defaults() {
    let out = run(SERVER, &["--help"]);
    assert!(out.status.success());
    for expected in [
        "--port",
        "--iface",
        "[default: localhost]",
        "--delay",
        "[default: 0.7]",
        "--num-bytes",
        "[default: 10]",
        "<POETRY_FILE>",
    ] {
        assert!(
            out.stdout.contains(expected),
            "--help lacks {expected}:\n{}",
            out.stdout
        );
    }
}

/// Runs the server on bad input: it must exit at once, non-zero, with an
/// `error:` line and no panic.
fn refuses(args: &[&str], message: &str) {
    let out = run(SERVER, args);
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

#[test]
fn a_missing_poem_file_is_one_clear_error() {
    refuses(
        &["no/such/poem.txt"],
        "cannot read poem file no/such/poem.txt",
    );
}

#[test]
fn a_port_in_use_is_one_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let path = poem_path("science.txt");
    refuses(
        &["--iface", "127.0.0.1", "--port", &port, &path],
        &format!("cannot listen on 127.0.0.1:{port}:"),
    );
}

#[test]
fn bad_option_values_are_refused() {
    let path = poem_path("science.txt");
    refuses(&["--port", "70000", &path], "--port");
    refuses(&["--port", "ten", &path], "--port");
    refuses(&["--num-bytes", "0", &path], "--num-bytes");
    refuses(&["--delay=-1", &path], "--delay");
    refuses(&["--delay", "soon", &path], "--delay");
    refuses(&[], "POETRY_FILE");
}
