//! The programs of this part, run as a reader runs them: both servers give
//! the same replies; `transform-test` prints a reply or says there was
//! none; client 6.0 downloads from slow servers and has each poem
//! transformed, falling back to the originals when the transformation
//! server says no or is down; bad input gets one clear error.

mod common;

use common::{Kind, ask, spawn};
use part_12::ServerOptions;
use testkit::{Running, closed_port, poems_got, ports, run, servers, task_line};

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

/// The closing summary of a client's run: each task's poem size.
fn sizes(stdout: &str) -> Vec<(usize, usize)> {
    stdout
        .lines()
        .filter_map(task_line)
        .filter_map(|(task, rest)| {
            let bytes = rest.strip_suffix(" bytes of poetry")?;
            Some((task, bytes.parse().ok()?))
        })
        .collect()
}

#[test]
fn client_6_transforms_every_poem_from_slow_servers() {
    let slow = servers(2, 200, 10);
    let (server, _events) = spawn(Kind::Reactor, ServerOptions::default());
    let addr = server.addr();
    let mut args = vec![addr.port().to_string()];
    args.extend(ports(&slow));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(exe("client-6"), &args);
    assert!(out.status.success(), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    for task in 1..=2 {
        assert!(
            lines.contains(&&*format!("Task {task}: transformed by cummingsify")),
            "{}",
            out.stdout
        );
    }
    let expected: Vec<(usize, usize)> = slow
        .iter()
        .enumerate()
        .map(|(i, (_, poem))| (i + 1, String::from_utf8_lossy(poem).to_lowercase().len()))
        .collect();
    assert_eq!(sizes(&out.stdout), expected);
    assert_eq!(poems_got(lines.last().unwrap()), 2);
}

#[test]
fn client_6_keeps_the_originals_when_the_transform_fails_or_its_server_is_down() {
    let slow = servers(2, 200, 10);
    let originals: Vec<(usize, usize)> = slow
        .iter()
        .enumerate()
        .map(|(i, (_, poem))| (i + 1, poem.len()))
        .collect();
    let (server, _events) = spawn(Kind::Tokio, ServerOptions::default());
    let addr = server.addr();
    let up = addr.port().to_string();
    let down = closed_port().to_string();
    for (transform, server, why) in [
        (
            "shout",
            &up,
            "the transformation server closed the connection without a reply",
        ),
        (
            "cummingsify",
            &down,
            "cannot connect to the transformation server",
        ),
    ] {
        let mut args = vec![
            "--transform".to_string(),
            transform.to_string(),
            server.clone(),
        ];
        args.extend(ports(&slow));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(exe("client-6"), &args);
        assert!(out.status.success(), "{}", out.stderr);
        for task in 1..=2 {
            let line = format!("Task {task}: {transform} failed ({why}");
            assert!(out.stderr.contains(&line), "{line} in {}", out.stderr);
        }
        assert_eq!(sizes(&out.stdout), originals, "{transform}");
        assert!(!out.stdout.contains("transformed by"));
    }
}

#[test]
fn client_6_reports_a_poetry_server_that_is_down_and_needs_two_addresses() {
    let slow = servers(1, 200, 10);
    let (server, _events) = spawn(Kind::Reactor, ServerOptions::default());
    let addr = server.addr();
    let transform = addr.port().to_string();
    let down = closed_port().to_string();
    let good = ports(&slow).remove(0);
    let out = run(exe("client-6"), &[&transform, &down, &good]);
    assert!(!out.status.success());
    assert!(
        out.stderr.contains(&format!(
            "Task 1: failed to get poetry from 127.0.0.1:{down}"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with("error: 1 of 2 downloads failed\n"),
        "{}",
        out.stderr
    );
    assert_eq!(sizes(&out.stdout).len(), 1);

    let out = run(exe("client-6"), &[&transform]);
    assert!(!out.status.success());
    assert_eq!(
        out.stderr,
        "error: give a transformation server and at least one poetry server\n"
    );
}
