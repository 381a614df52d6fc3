//! Client 7.0, on our runtime and on tokio, checked as client 6.0 is: it
//! transforms every poem from slow servers; it keeps the originals when
//! the transform fails or its server is down; it reports a poetry server
//! that is down; it refuses bad input with one clear line.

use part_12::ServerOptions;
use part_12::background::{ServerKind, spawn};
use testkit::{closed_port, poems_got, ports, run, servers, task_line};

const CLIENTS: [&str; 2] = [
    env!("CARGO_BIN_EXE_client-7"),
    env!("CARGO_BIN_EXE_client-7-tokio"),
];

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
fn client_7_transforms_every_poem_from_slow_servers() {
    let slow = servers(2, 200, 10);
    let (server, _events) = spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    let mut args = vec![server.addr().port().to_string()];
    args.extend(ports(&slow));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for client in CLIENTS {
        let out = run(client, &args);
        assert!(out.status.success(), "{client}: {}", out.stderr);
        let lines: Vec<&str> = out.stdout.lines().collect();
        for task in 1..=2 {
            assert!(
                lines.contains(&&*format!("Task {task}: transformed by cummingsify")),
                "{client}: {}",
                out.stdout
            );
            assert!(
                lines.contains(&&*format!("Task {task} finished")),
                "{client}"
            );
        }
        let chunks = lines
            .iter()
            .filter(|l| l.contains("bytes of poetry from"))
            .count();
        assert!(chunks >= 4, "{client}: chunk lines as they come");
        let expected: Vec<(usize, usize)> = slow
            .iter()
            .enumerate()
            .map(|(i, (_, poem))| (i + 1, String::from_utf8_lossy(poem).to_lowercase().len()))
            .collect();
        assert_eq!(sizes(&out.stdout), expected, "{client}");
        assert_eq!(poems_got(lines.last().unwrap()), 2, "{client}");
    }
}

#[test]
fn client_7_keeps_the_originals_when_the_transform_fails_or_its_server_is_down() {
    let slow = servers(2, 200, 10);
    let originals: Vec<(usize, usize)> = slow
        .iter()
        .enumerate()
        .map(|(i, (_, poem))| (i + 1, poem.len()))
        .collect();
    let (server, _events) = spawn(ServerKind::Tokio, ServerOptions::default()).unwrap();
    let up = server.addr().port().to_string();
    let down = closed_port().to_string();
    for client in CLIENTS {
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
            let out = run(client, &args);
            assert!(out.status.success(), "{client}: {}", out.stderr);
            for task in 1..=2 {
                let line = format!("Task {task}: {transform} failed ({why}");
                assert!(out.stderr.contains(&line), "{line} in {}", out.stderr);
            }
            assert_eq!(sizes(&out.stdout), originals, "{client} {transform}");
            assert!(!out.stdout.contains("transformed by"));
        }
    }
}

#[test]
fn client_7_reports_a_poetry_server_that_is_down_and_needs_two_addresses() {
    let slow = servers(1, 200, 10);
    let (server, _events) = spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    let transform = server.addr().port().to_string();
    let down = closed_port().to_string();
    let good = ports(&slow).remove(0);
    for client in CLIENTS {
        let out = run(client, &[&transform, &down, &good]);
        assert!(!out.status.success());
        assert!(
            out.stderr.contains(&format!(
                "Task 1: failed to get poetry from 127.0.0.1:{down}"
            )),
            "{client}: {}",
            out.stderr
        );
        assert!(
            out.stderr.ends_with("error: 1 of 2 downloads failed\n"),
            "{client}: {}",
            out.stderr
        );
        assert_eq!(sizes(&out.stdout).len(), 1);

        let out = run(client, &[&transform]);
        assert!(!out.status.success());
        assert_eq!(
            out.stderr,
            "error: give a transformation server and at least one poetry server\n"
        );
    }
}

#[test]
fn client_7_helps_and_refuses_bad_addresses() {
    for client in CLIENTS {
        testkit::helps(
            client,
            &["--transform", "[default: cummingsify]", "<ADDRESS>"],
        );
        // A transformation server and a bad poetry server's address.
        for (bad, message) in [("70000", "bad port"), (":10000", "bad host")] {
            let out = testkit::refuses(client, &["10000", bad], message);
            assert_eq!(out.status.code(), Some(2), "{client} {bad}");
            assert_eq!(out.stdout, "");
        }
    }
}
