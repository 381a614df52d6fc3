//! The checks every fast poetry server program passes (part 11's
//! `fastpoetry` and `fastpoetry-tokio`, part 17's `fastpoetry-async`), on
//! the wire with plain `std::net` clients: the whole poem and then a close,
//! with the series' lines; many clients at once; clients that hang up at
//! once; a client that sends something; and the answers to bad input.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use crate::programs::{connect, helps, poem, poem_path, read_all, refuses, start_server};

/// Sends the whole poem to a client, then closes, and says so in the
/// series' two lines.
pub fn sends_the_whole_poem_then_closes(program: &str) {
    let expected = poem("ecstasy.txt");
    let (mut server, port) = start_server(program, &[&poem_path("ecstasy.txt")]);
    let mut socket = connect(port);
    let (got, _) = read_all(&mut socket);
    assert_eq!(got, expected, "{program}: the poem's exact bytes");

    let me = socket.local_addr().unwrap();
    assert_eq!(server.line(), format!("Somebody at {me} wants poetry!"));
    assert_eq!(
        server.line(),
        format!("Sent {} bytes to {me}; closing.", expected.len())
    );
}

/// Poems that are not ASCII arrive byte for byte.
pub fn non_ascii_poems_arrive_byte_for_byte(program: &str) {
    for name in ["science.txt", "panther.txt"] {
        let (_server, port) = start_server(program, &[&poem_path(name)]);
        let (got, _) = read_all(&mut connect(port));
        assert_eq!(got, poem(name), "{program}: {name}");
    }
}

/// Serves 200 clients connected before any reads, and 32 reading at once
/// on threads.
pub fn serves_many_clients_at_once(program: &str) {
    let expected = poem("tyger.txt");
    let (_server, port) = start_server(program, &[&poem_path("tyger.txt")]);
    // Connect them all before reading from any: the server must not
    // wait for one client to read before serving the next.
    let mut clients: Vec<TcpStream> = (0..200).map(|_| connect(port)).collect();
    // And a few dozen on threads, all reading at the same moment.
    let threads: Vec<_> = (0..32)
        .map(|_| std::thread::spawn(move || read_all(&mut connect(port)).0))
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), expected, "{program}");
    }
    for (i, client) in clients.iter_mut().enumerate() {
        assert_eq!(read_all(client).0, expected, "{program}: client {i}");
    }
}

/// Clients that connect and go away at once do not disturb the others,
/// and the server goes on reporting every client.
pub fn clients_that_hang_up_at_once_do_not_disturb_the_others(program: &str) {
    let expected = poem("ecstasy.txt");
    let (mut server, port) = start_server(program, &[&poem_path("ecstasy.txt")]);
    let mut patient = Vec::new();
    for _ in 0..20 {
        // Connects and goes away without reading a byte.
        drop(TcpStream::connect(("127.0.0.1", port)).unwrap());
        patient.push(connect(port));
    }
    for client in &mut patient {
        assert_eq!(read_all(client).0, expected, "{program}");
    }
    // Still serving, and still saying so, line by line.
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
    assert!(seen, "{program} reports every client");
}

/// A client that sends something before reading still gets its poem.
pub fn a_client_that_sends_things_still_gets_its_poem(program: &str) {
    let expected = poem("science.txt");
    let (_server, port) = start_server(program, &[&poem_path("science.txt")]);
    let mut client = connect(port);
    client.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(read_all(&mut client).0, expected, "{program}");
}

/// `--help` lists the series' options and their defaults.
pub fn fast_server_helps(program: &str) {
    helps(
        program,
        &[
            "--port",
            "--iface",
            "[default: localhost]",
            "[default: 0]",
            "<POETRY_FILE>",
        ],
    );
}

/// A port in use, a missing poem file and bad options each get one clear
/// error.
pub fn fast_server_refuses_bad_input(program: &str) {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let path = poem_path("science.txt");
    refuses(
        program,
        &["--iface", "127.0.0.1", "--port", &port, &path],
        &format!("cannot listen on 127.0.0.1:{port}: Address already in use"),
    );
    refuses(
        program,
        &["no/such/poem.txt"],
        "cannot read poem file no/such/poem.txt",
    );
    refuses(program, &["--port", "70000", &path], "--port");
    refuses(program, &["--port", "ten", &path], "--port");
    refuses(
        program,
        &["--iface", "no.such.host.invalid", &path],
        "cannot listen on",
    );
    refuses(program, &["--delay", "1", &path], "--delay");
    refuses(program, &[], "POETRY_FILE");
}
