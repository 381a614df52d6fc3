//! Running a transcript's program: stdout and stderr merged in the order
//! written, no standard input, and a timeout that kills.

use std::process::Command;
use std::time::{Duration, Instant};

use xtask::output::run_merged;

fn sh(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    command
}

#[test]
fn stdout_and_stderr_arrive_in_the_order_written() {
    let out = run_merged(
        sh("echo one; echo two >&2; echo three; echo four >&2"),
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(out, "one\ntwo\nthree\nfour\n");
}

#[test]
fn a_failing_program_still_gives_its_output() {
    let out = run_merged(
        sh("echo 'error: no such file' >&2; exit 3"),
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(out, "error: no such file\n");
}

#[test]
fn standard_input_is_empty() {
    // `cat` copies its input: with stdin null it ends at once, printing nothing.
    let out = run_merged(Command::new("cat"), Duration::from_secs(10)).unwrap();
    assert_eq!(out, "");
}

#[test]
fn a_program_that_runs_too_long_is_killed() {
    let started = Instant::now();
    let err = run_merged(
        sh("echo started; exec sleep 30"),
        Duration::from_millis(300),
    )
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "not killed in time"
    );
    assert!(err.to_string().contains("did not finish"), "{err:#}");
}
