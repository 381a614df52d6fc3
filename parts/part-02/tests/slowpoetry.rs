//! The `slowpoetry` server on the wire, checked with a plain `std::net`
//! client: the exact bytes, the chunk size, the pacing, the close, a client
//! that hangs up, one client at a time; and its answers to bad input.

use std::io::Read;
use std::net::TcpStream;

use testkit::{
    connect, pacing, poem_path, read_all, read_paced, slow_server_helps,
    slow_server_refuses_bad_input, start_server,
};

const SERVER: &str = env!("CARGO_BIN_EXE_slowpoetry");

#[test]
fn sends_the_poem_byte_for_byte_in_paced_chunks_then_closes() {
    let path = poem_path("panther.txt");
    let expected = std::fs::read(&path).unwrap();
    let (mut server, port) = start_server(SERVER, &["--num-bytes", "100", "--delay", "0.1", &path]);
    let (socket, chunks) = read_paced(port, &expected, pacing(100, 100));

    assert_eq!(
        server.line(),
        format!("Somebody at {} wants poetry!", socket.local_addr().unwrap())
    );
    for _ in 0..chunks - 1 {
        assert_eq!(server.line(), "Sending 100 bytes");
    }
    assert_eq!(
        server.line(),
        format!("Sending {} bytes", expected.len() % 100)
    );
}

#[test]
fn survives_a_client_that_hangs_up_and_serves_the_next() {
    let path = poem_path("science.txt");
    let expected = std::fs::read(&path).unwrap();
    let (mut server, port) = start_server(SERVER, &["--num-bytes", "20", "--delay", "0.02", &path]);

    let mut quitter = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut first = [0; 20];
    quitter.read_exact(&mut first).unwrap();
    assert_eq!(first, expected[..20]);
    drop(quitter);

    assert_eq!(read_all(&mut connect(port)).0, expected);

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
    let (_server, port) = start_server(SERVER, &["--num-bytes", "200", "--delay", "0.05", &path]);

    let mut first = connect(port);
    let mut second = connect(port);
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
    slow_server_helps(SERVER);
}

#[test]
fn bad_input_is_one_clear_error() {
    slow_server_refuses_bad_input(SERVER);
}
