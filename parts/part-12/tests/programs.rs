//! The programs of this part, run as a reader runs them: both servers give
//! the same replies; `transform-test` prints a reply or says there was
//! none; client 6.0 downloads from slow servers and has each poem
//! transformed, falling back to the originals when the transformation
//! server says no or is down; bad input gets one clear error.

mod common;

use common::{Kind, ask, spawn};
use part_12::ServerOptions;
use testkit::{Running, closed_port, run, transform_clients};

const EXAMPLE: &[u8] = b"27:cummingsify.HERE IS MY POEM,";

fn exe(name: &str) -> &'static str {
    match name {
        "transformedpoetry" => env!("CARGO_BIN_EXE_transformedpoetry"),
        "transformedpoetry-tokio" => env!("CARGO_BIN_EXE_transformedpoetry-tokio"),
        "transform-test" => env!("CARGO_BIN_EXE_transform-test"),
        "client-6" => env!("CARGO_BIN_EXE_client-6"),
        other => panic!("no program {other}"),
    }
}

/// Starts a server program and reads its port from its first line.
fn start(program: &str, args: &[&str]) -> (Running, u16) {
    let mut server = Running::start(exe(program), args);
    let first = server.line();
    let port = first
        .strip_prefix("Serving transforms (cummingsify) on port ")
        .and_then(|rest| rest.strip_suffix('.'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    (server, port)
}

#[test]
fn both_server_programs_answer_alike_and_log_why_they_close() {
    for program in ["transformedpoetry", "transformedpoetry-tokio"] {
        let (mut server, port) = start(program, &["--timeout", "5", "--max-length", "64"]);
        let addr = ([127, 0, 0, 1], port).into();
        assert_eq!(ask(addr, EXAMPLE), b"15:here is my poem,", "{program}");
        assert!(server.line().ends_with(" connected"), "{program}");
        assert!(
            server.line().ends_with(": cummingsify, 15 bytes; closing"),
            "{program}"
        );
        assert_eq!(ask(addr, b"99:"), b"", "{program}");
        assert!(server.line().ends_with(" connected"), "{program}");
        let line = server.line();
        assert!(
            line.ends_with(
                ": closing without a reply: message of 99 bytes or more is over the limit of 64 bytes"
            ),
            "{program}: {line}"
        );
    }
}

#[test]
fn server_programs_refuse_bad_options() {
    for program in ["transformedpoetry", "transformedpoetry-tokio"] {
        let out = run(exe(program), &["--timeout", "soon"]);
        assert!(!out.status.success());
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        // A port in use.
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port().to_string();
        let out = run(exe(program), &["--iface", "127.0.0.1", "--port", &port]);
        assert!(!out.status.success(), "{program}");
        assert!(
            out.stderr.starts_with("error: cannot listen on 127.0.0.1:"),
            "{program}: {}",
            out.stderr
        );
        let help = run(exe(program), &["--help"]);
        for option in ["--port", "--iface", "--timeout", "--max-length"] {
            assert!(help.stdout.contains(option), "{program}: {option}");
        }
    }
}

#[test]
fn transform_test_prints_the_reply_or_says_there_was_none() {
    let (server, _events) = spawn(Kind::Reactor, ServerOptions::default());
    let addr = server.addr();
    let port = addr.port().to_string();
    // With no poem, the series' request.
    let out = run(exe("transform-test"), &[&port]);
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stdout, "here is my poem\n");
    let out = run(exe("transform-test"), &[&port, "--poem", "A Poem"]);
    assert_eq!(out.stdout, "a poem\n");

    let tyger = format!("{}/../../poetry/tyger.txt", env!("CARGO_MANIFEST_DIR"));
    let out = run(exe("transform-test"), &[&port, "--file", &tyger]);
    assert!(out.status.success(), "{}", out.stderr);
    let original = std::fs::read_to_string(&tyger).unwrap();
    assert_eq!(out.stdout, original.to_lowercase());

    let out = run(
        exe("transform-test"),
        &[&port, "--transform", "shout", "--poem", "x"],
    );
    assert!(!out.status.success());
    assert_eq!(
        out.stderr,
        "error: the transformation server closed the connection without a reply\n"
    );
    assert_eq!(out.stdout, "");

    let closed = closed_port().to_string();
    let out = run(exe("transform-test"), &[&closed, "--poem", "x"]);
    assert!(!out.status.success());
    assert!(
        out.stderr
            .starts_with("error: cannot connect to the transformation server: "),
        "{}",
        out.stderr
    );

    for bad in [vec![], vec![&port, "--poem", "x", "--file", &tyger]] {
        let out = run(exe("transform-test"), &bad);
        assert!(!out.status.success(), "{bad:?}");
        assert!(out.stderr.starts_with("error: "), "{bad:?}: {}", out.stderr);
    }
    let out = run(
        exe("transform-test"),
        &[&port, "--file", "no-such-poem.txt"],
    );
    assert!(!out.status.success());
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"));
}

#[test]
fn client_6_transforms_every_poem_from_slow_servers() {
    let (server, _events) = spawn(Kind::Reactor, ServerOptions::default());
    transform_clients::transforms_every_poem(exe("client-6"), server.addr().port());
}

#[test]
fn client_6_keeps_the_originals_when_the_transform_fails_or_its_server_is_down() {
    let (server, _events) = spawn(Kind::Tokio, ServerOptions::default());
    transform_clients::keeps_the_originals_when_the_transform_fails_or_its_server_is_down(
        exe("client-6"),
        server.addr().port(),
    );
}

#[test]
fn client_6_reports_a_poetry_server_that_is_down_and_needs_two_addresses() {
    let (server, _events) = spawn(Kind::Reactor, ServerOptions::default());
    transform_clients::reports_a_poetry_server_that_is_down_and_needs_two_addresses(
        exe("client-6"),
        server.addr().port(),
    );
}
