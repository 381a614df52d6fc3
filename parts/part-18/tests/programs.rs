//! Client 8.0 and its tokio twin, run as a reader runs them against slow
//! poetry servers and a transformation server on threads of the test's.

use part_12::ServerOptions;
use part_12::background::{ServerKind, spawn};
use testkit::{closed_port, poems_got, ports, run, servers, task_line};

const CLIENTS: [&str; 2] = [
    env!("CARGO_BIN_EXE_client-8"),
    env!("CARGO_BIN_EXE_client-8-tokio"),
];

/// The closing summary: each task's poem size.
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
fn every_poem_is_transformed_and_the_report_comes_once_all_are_done() {
    let slow = servers(3, 200, 10);
    let (server, _events) = spawn(ServerKind::Reactor, ServerOptions::default()).expect("server");
    let mut args = vec![server.addr().port().to_string()];
    args.extend(ports(&slow));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for client in CLIENTS {
        let out = run(client, &args);
        assert!(out.status.success(), "{client}: {}", out.stderr);
        let lines: Vec<&str> = out.stdout.lines().collect();
        let expected: Vec<(usize, usize)> = slow
            .iter()
            .enumerate()
            .map(|(i, (_, poem))| (i + 1, String::from_utf8_lossy(poem).to_lowercase().len()))
            .collect();
        assert_eq!(sizes(&out.stdout), expected, "{client}");
        // Every poem is finished before the one report begins.
        let last_finished = lines
            .iter()
            .rposition(|line| line.ends_with(" finished"))
            .expect("finished lines");
        let first_size = lines
            .iter()
            .position(|line| line.ends_with(" bytes of poetry"))
            .expect("a summary");
        assert!(last_finished < first_size, "{client}: {}", out.stdout);
        assert_eq!(out.stdout.matches("poems in").count(), 1);
        assert_eq!(poems_got(lines.last().expect("a last line")), 3);
        for task in 1..=3 {
            assert!(
                lines.contains(&&*format!("Task {task}: transformed by cummingsify")),
                "{client}: {}",
                out.stdout
            );
        }
    }
}

#[test]
fn a_server_that_is_down_is_reported_and_the_others_still_arrive() {
    let slow = servers(1, 200, 10);
    let (server, _events) = spawn(ServerKind::Tokio, ServerOptions::default()).expect("server");
    let transform = server.addr().port().to_string();
    let down = closed_port().to_string();
    let good = ports(&slow).remove(0);
    for client in CLIENTS {
        let out = run(client, &[&transform, &down, &good]);
        assert!(!out.status.success(), "{client}");
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
        assert_eq!(sizes(&out.stdout).len(), 1, "{client}");
    }
}

#[test]
fn a_transform_that_fails_keeps_the_original() {
    let slow = servers(2, 200, 10);
    let (server, _events) = spawn(ServerKind::Reactor, ServerOptions::default()).expect("server");
    let mut args = vec![
        "--transform".to_string(),
        "shout".to_string(),
        server.addr().port().to_string(),
    ];
    args.extend(ports(&slow));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let originals: Vec<(usize, usize)> = slow
        .iter()
        .enumerate()
        .map(|(i, (_, poem))| (i + 1, poem.len()))
        .collect();
    for client in CLIENTS {
        let out = run(client, &args);
        assert!(out.status.success(), "{client}: {}", out.stderr);
        assert_eq!(sizes(&out.stdout), originals, "{client}");
        assert!(
            out.stderr.contains("Task 1: shout failed"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn bad_input_gets_one_clear_error() {
    for client in CLIENTS {
        let out = run(client, &["10000"]);
        assert!(!out.status.success());
        assert_eq!(
            out.stderr,
            "error: give a transformation server and at least one poetry server\n"
        );
        let out = run(client, &["10000", "not-an-address:x"]);
        assert!(!out.status.success());
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"));
    }
}

#[test]
fn both_clients_have_help() {
    for client in CLIENTS {
        testkit::helps(client, &["--transform", "cummingsify"]);
    }
}
