//! Crashes and restarts: a worker that panics is reported as down, once
//! and without Rust's own panic message; under `--restarts N` it is
//! started again after the delay, and given up on after N restarts. Both
//! programs pass the same checks.

use testkit::{args, assert_count, ports, run, servers};

const PROGRAMS: [&str; 2] = [
    env!("CARGO_BIN_EXE_erlang-client"),
    env!("CARGO_BIN_EXE_erlang-client-tokio"),
];

/// The start of task 1's panic report, wherever the panic was raised.
const PANICKED: &str = "the task panicked at ";
const MESSAGE: &str = "task 1 crashed on purpose (--crash)";

#[test]
fn a_worker_that_panics_is_reported_down_and_the_others_carry_on() {
    let servers = servers(2, 100, 10);
    let ports = ports(&servers);
    for program in PROGRAMS {
        let out = run(program, &args(&["--crash", "1"], &ports));
        assert_eq!(out.status.code(), Some(1), "{program}: {}", out.stderr);
        let mut lines = out.stderr.lines();
        let down = lines.next().unwrap_or_default();
        assert!(
            down.starts_with(&format!(
                "Task 1: failed to get poetry from 127.0.0.1:{}: {PANICKED}",
                ports[0]
            )) && down.ends_with(MESSAGE),
            "{program}: {}",
            out.stderr
        );
        // The place of the panic, kept by the runtime (or, on tokio, by
        // the panic hook), not "an unknown place".
        assert!(down.contains("src/client.rs:"), "{program}: {down}");
        assert_eq!(lines.next(), Some("error: 1 of 2 downloads failed"));
        assert_eq!(
            lines.next(),
            None,
            "{program}: one report, no panic message"
        );
        // The worker printed its one chunk before it crashed.
        assert_count(&out.stdout, "Task 1: got ", 1);
        assert!(out.stdout.contains("Task 2 down: normal"), "{}", out.stdout);
        assert!(!out.stdout.contains("Task 1 down"), "{}", out.stdout);
    }
}

#[test]
fn under_the_supervisor_a_crashed_worker_is_restarted_and_gets_its_poem() {
    let servers = servers(1, 100, 10);
    let ports = ports(&servers);
    let poem = servers[0].1;
    let options = ["--restarts", "2", "--restart-delay", "0.05", "--crash", "1"];
    for program in PROGRAMS {
        let out = run(program, &args(&options, &ports));
        assert!(out.status.success(), "{program}: {}", out.stderr);
        let restart = out.stderr.trim_end();
        assert!(
            restart.starts_with(&format!("Task 1 down: {PANICKED}"))
                && restart.ends_with(&format!("{MESSAGE}; restart 1 of 2 in 0.050s")),
            "{program}: {}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{program}: {}", out.stderr);
        let received = format!("Task 1: poem received, {} bytes\n", poem.len());
        let text = String::from_utf8_lossy(poem);
        assert!(
            out.stdout.contains(&format!("{received}{text}")),
            "{program}"
        );
        assert_count(&out.stdout, "Task 1 down: normal", 1);
    }
}

#[test]
fn the_supervisor_gives_up_after_n_restarts() {
    let servers = servers(1, 100, 10);
    let ports = ports(&servers);
    let options = [
        "--restarts",
        "2",
        "--restart-delay",
        "0.01",
        "--crash",
        "1",
        "--crash",
        "1",
        "--crash",
        "1",
    ];
    for program in PROGRAMS {
        let out = run(program, &args(&options, &ports));
        assert_eq!(out.status.code(), Some(1), "{program}: {}", out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 4, "{program}: {}", out.stderr);
        for (line, restart) in lines.iter().zip(1..=2) {
            assert!(
                line.starts_with(&format!("Task 1 down: {PANICKED}"))
                    && line.ends_with(&format!("restart {restart} of 2 in 0.010s")),
                "{program}: {line}"
            );
        }
        assert!(
            lines[2].ends_with(&format!("{MESSAGE} (gave up after 2 restarts)")),
            "{program}: {}",
            lines[2]
        );
        assert_eq!(lines[3], "error: 1 of 1 downloads failed");
        // Three runs, one chunk each, then nothing.
        assert_count(&out.stdout, "Task 1: got ", 3);
        assert!(!out.stdout.contains("poem received"), "{}", out.stdout);
    }
}

#[test]
fn a_refused_port_is_retried_then_given_up_once() {
    let closed = testkit::closed_port().to_string();
    for program in PROGRAMS {
        let out = run(
            program,
            &[
                "--restarts",
                "1",
                "--restart-delay",
                "0.01",
                closed.as_str(),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{program}: {}", out.stderr);
        assert_eq!(
            out.stderr,
            format!(
                "Task 1 down: cannot connect: Connection refused (os error 111); \
                 restart 1 of 1 in 0.010s\n\
                 Task 1: failed to get poetry from 127.0.0.1:{closed}: cannot connect: \
                 Connection refused (os error 111) (gave up after 1 restart)\n\
                 error: 1 of 1 downloads failed\n"
            ),
            "{program}"
        );
    }
}
