//! `fastpoetry` and `fastpoetry-tokio` on the wire, checked with plain
//! `std::net` clients: the whole poem and then a close; many clients at
//! once; clients that hang up at once without disturbing the others; and
//! their answers to bad input.

use std::net::TcpStream;
use std::time::Duration;

use testkit::{connect, helps, poem, poem_path, read_all, refuses, start_server};

const FAST: &str = env!("CARGO_BIN_EXE_fastpoetry");
const TOKIO: &str = env!("CARGO_BIN_EXE_fastpoetry-tokio");
const BOTH: [&str; 2] = [FAST, TOKIO];

#[test]
fn sends_the_whole_poem_then_closes() {
    for program in BOTH {
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
}

#[test]
fn non_ascii_poems_arrive_byte_for_byte() {
    for program in BOTH {
        for name in ["science.txt", "panther.txt"] {
            let (_server, port) = start_server(program, &[&poem_path(name)]);
            let (got, _) = read_all(&mut connect(port));
            assert_eq!(got, poem(name), "{program}: {name}");
        }
    }
}

#[test]
fn serves_many_clients_at_once() {
    for program in BOTH {
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
}

#[test]
fn clients_that_hang_up_at_once_do_not_disturb_the_others() {
    for program in BOTH {
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
}

#[test]
fn a_client_that_sends_things_still_gets_its_poem() {
    use std::io::Write;
    for program in BOTH {
        let expected = poem("science.txt");
        let (_server, port) = start_server(program, &[&poem_path("science.txt")]);
        let mut client = connect(port);
        client.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(read_all(&mut client).0, expected, "{program}");
    }
}

#[test]
fn help_lists_the_series_options_and_defaults() {
    for program in BOTH {
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
}

#[test]
fn a_port_in_use_is_one_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let path = poem_path("science.txt");
    for program in BOTH {
        refuses(
            program,
            &["--iface", "127.0.0.1", "--port", &port, &path],
            &format!("cannot listen on 127.0.0.1:{port}: Address already in use"),
        );
    }
}

#[test]
fn a_missing_poem_file_is_one_clear_error() {
    for program in BOTH {
        refuses(
            program,
            &["no/such/poem.txt"],
            "cannot read poem file no/such/poem.txt",
        );
    }
}

#[test]
fn bad_options_are_refused() {
    let path = poem_path("science.txt");
    for program in BOTH {
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
}
