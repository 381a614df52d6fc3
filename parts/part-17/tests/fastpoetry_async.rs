//! `fastpoetry-async` on the wire, with the checks part 11's `fastpoetry`
//! and `fastpoetry-tokio` pass: the whole poem and then a close, with the
//! same lines; many clients at once; clients that hang up at once; a
//! client that sends something; and its answers to bad input.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use testkit::{connect, helps, poem, poem_path, read_all, refuses, start_server};

const SERVER: &str = env!("CARGO_BIN_EXE_fastpoetry-async");

#[test]
fn sends_the_whole_poem_then_closes_and_says_so() {
    let expected = poem("ecstasy.txt");
    let (mut server, port) = start_server(SERVER, &[&poem_path("ecstasy.txt")]);
    let mut socket = connect(port);
    let (got, _) = read_all(&mut socket);
    assert_eq!(got, expected, "the poem's exact bytes");
    let me = socket.local_addr().unwrap();
    assert_eq!(server.line(), format!("Somebody at {me} wants poetry!"));
    assert_eq!(
        server.line(),
        format!("Sent {} bytes to {me}; closing.", expected.len())
    );
}

#[test]
fn non_ascii_poems_arrive_byte_for_byte() {
    for name in ["science.txt", "panther.txt"] {
        let (_server, port) = start_server(SERVER, &[&poem_path(name)]);
        let (got, _) = read_all(&mut connect(port));
        assert_eq!(got, poem(name), "{name}");
    }
}

#[test]
fn serves_many_clients_at_once() {
    let expected = poem("tyger.txt");
    let (_server, port) = start_server(SERVER, &[&poem_path("tyger.txt")]);
    let mut clients: Vec<TcpStream> = (0..200).map(|_| connect(port)).collect();
    let threads: Vec<_> = (0..32)
        .map(|_| std::thread::spawn(move || read_all(&mut connect(port)).0))
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), expected);
    }
    for (i, client) in clients.iter_mut().enumerate() {
        assert_eq!(read_all(client).0, expected, "client {i}");
    }
}

#[test]
fn clients_that_hang_up_at_once_do_not_disturb_the_others() {
    let expected = poem("ecstasy.txt");
    let (mut server, port) = start_server(SERVER, &[&poem_path("ecstasy.txt")]);
    let mut patient = Vec::new();
    for _ in 0..20 {
        drop(TcpStream::connect(("127.0.0.1", port)).unwrap());
        patient.push(connect(port));
    }
    for client in &mut patient {
        assert_eq!(read_all(client).0, expected);
    }
    let mut last = connect(port);
    assert_eq!(read_all(&mut last).0, expected);
    let me = format!(
        "Sent {} bytes to {}",
        expected.len(),
        last.local_addr().unwrap()
    );
    let seen = std::iter::from_fn(|| Some(server.line()))
        .take(200)
        .any(|line| line.starts_with(&me));
    assert!(seen, "it reports every client");
}

#[test]
fn a_client_that_sends_things_still_gets_its_poem() {
    let expected = poem("science.txt");
    let (_server, port) = start_server(SERVER, &[&poem_path("science.txt")]);
    let mut client = connect(port);
    client.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(read_all(&mut client).0, expected);
}

#[test]
fn help_lists_the_series_options_and_defaults() {
    helps(
        SERVER,
        &[
            "--port",
            "--iface",
            "[default: localhost]",
            "[default: 0]",
            "<POETRY_FILE>",
        ],
    );
}

#[test]
fn bad_input_is_one_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let path = poem_path("science.txt");
    refuses(
        SERVER,
        &["--iface", "127.0.0.1", "--port", &port, &path],
        &format!("cannot listen on 127.0.0.1:{port}: Address already in use"),
    );
    refuses(
        SERVER,
        &["no/such/poem.txt"],
        "cannot read poem file no/such/poem.txt",
    );
    refuses(SERVER, &["--port", "70000", &path], "--port");
    refuses(SERVER, &["--port", "ten", &path], "--port");
    refuses(
        SERVER,
        &["--iface", "no.such.host.invalid", &path],
        "cannot listen on",
    );
    refuses(SERVER, &["--delay", "1", &path], "--delay");
    refuses(SERVER, &[], "POETRY_FILE");
}
