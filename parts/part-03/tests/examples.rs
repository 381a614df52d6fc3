//! The examples and the guided demo of part 3, run as a reader would run
//! them, with their output checked: `hello`, `stack`, `countdown` (on a
//! short tick), `exception`, the two idle reactors that run for ever
//! (`simple`, `simple-poll`: still running, silent, after a while, then
//! killed), and the demo, including bad input. Each prints what the
//! series' script of the same name prints, in the same order.
//!
//! Examples have no `CARGO_BIN_EXE_*`, so they are run with `cargo run`
//! from the workspace root, which builds them first if needed.

use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use testkit::{self, assert_in_order, run_example_ok, workspace_root};

const DEMO: &str = env!("CARGO_BIN_EXE_part-03");

/// `cargo run -q -p part-03 --example NAME -- ARGS`, from the workspace root.
fn example(name: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["run", "-q", "-p", "part-03", "--example", name, "--"])
        .args(args)
        .current_dir(workspace_root())
        .stdin(Stdio::null());
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Runs one of this part's examples to the end, checking that it
/// succeeded; returns its stdout and stderr.
fn run_ok(name: &str, args: &[&str]) -> (String, String) {
    let output = run_example_ok("part-03", name, args);
    (output.stdout, output.stderr)
}

#[test]
fn hello_is_called_by_the_reactor_which_then_stops() {
    let (stdout, stderr) = run_ok("hello", &[]);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "Starting the reactor.",
            "Hello from the reactor loop!",
            "Lately I feel like I'm stuck in a rut.",
        ]
    );
    assert_eq!(stderr, "");
}

/// The frames from `main` down to the callback, with the reactor between.
#[test]
fn stack_shows_the_reactor_between_main_and_the_callback() {
    let (stdout, _) = run_ok("stack", &[]);
    assert_eq!(stdout.lines().next(), Some("The Rust stack:"), "{stdout}");
    let frames: Vec<&str> = stdout
        .lines()
        .filter(|line| line.contains("parts/part-03/"))
        .collect();
    let names: Vec<&str> = frames
        .iter()
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"main"), "{stdout}");
    assert_eq!(names.last(), Some(&"show_the_stack"), "{stdout}");
    let position = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("no frame {name} in:\n{stdout}"))
    };
    assert!(position("main") < position("run"));
    assert!(position("run") < position("run_loop"));
    assert!(position("run_loop") < position("call_guarded"));
    assert!(position("call_guarded") < position("call_when_running::{closure}"));
    assert!(position("call_when_running::{closure}") < position("show_the_stack"));
    // The reactor's frames come from its source; the first and last from ours.
    assert!(frames[0].ends_with(&format!(
        "parts/part-03/examples/stack.rs:{}",
        digits(frames[0])
    )));
    assert!(
        frames[1].contains("parts/part-03/src/reactor.rs:"),
        "{stdout}"
    );
    // Each frame is one step deeper than its caller.
    let indents: Vec<usize> = frames
        .iter()
        .map(|line| line.len() - line.trim_start().len())
        .collect();
    assert!(indents.windows(2).all(|w| w[1] == w[0] + 2), "{indents:?}");
    // Only this workspace's frames, and nothing that changes between runs.
    assert!(
        !stdout.contains("std::") && !stdout.contains("core::"),
        "{stdout}"
    );
    assert!(!stdout.contains("0x"), "{stdout}");
}

/// The digits at the end of a line.
fn digits(line: &str) -> &str {
    let start = line.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    &line[start..]
}

#[test]
fn stack_output_is_the_same_on_every_run() {
    let (first, _) = run_ok("stack", &[]);
    let (second, _) = run_ok("stack", &[]);
    assert_eq!(first, second);
}

#[test]
fn countdown_counts_five_to_one_a_tick_apart_then_stops() {
    let started = Instant::now();
    let (stdout, stderr) = run_ok("countdown", &["--tick-ms", "30"]);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "Start!", "5 ...", "4 ...", "3 ...", "2 ...", "1 ...", "Stop!"
        ]
    );
    // Five ticks after the first number, the last step stops the reactor.
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(stderr, "");
}

#[test]
fn countdown_rejects_a_zero_tick() {
    let output = example("countdown", &["--tick-ms", "0"]).output().unwrap();
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn exception_reports_the_failure_and_the_next_callback_still_runs() {
    let output = testkit::run_example("part-03", "exception", &[]);
    assert!(output.status.success(), "{}", output.stderr);
    assert_eq!(
        output.stdout.lines().collect::<Vec<_>>(),
        ["Starting the reactor.", "But I get up again."]
    );
    let reports: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(
        reports.len(),
        1,
        "one line for the failure:\n{}",
        output.stderr
    );
    assert!(
        reports[0].starts_with(
            "Unhandled error in startup callback scheduled at parts/part-03/examples/exception.rs:"
        ) && reports[0].ends_with(": I fall down.")
            && reports[0].contains("panicked at parts/part-03/examples/exception.rs:"),
        "{}",
        output.stderr
    );
    // Rust's own panic message is not printed: the reactor reports it once.
    assert!(!output.stderr.contains("thread 'main' panicked"));
}

/// Builds an example and returns the path of its executable, as cargo
/// reports it.
fn built(name: &str) -> String {
    let output = Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "part-03", "--example", name])
        .args(["--message-format", "json-render-diagnostics"])
        .current_dir(workspace_root())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let target = format!(
        "\"target\":{{\"kind\":[\"example\"],\"crate_types\":[\"bin\"],\"name\":\"{name}\""
    );
    let line = text(&output.stdout)
        .lines()
        .find(|line| line.contains(&target))
        .unwrap_or_else(|| panic!("cargo did not report {name}"))
        .to_string();
    let (_, rest) = line.split_once("\"executable\":\"").expect("an executable");
    rest[..rest.find('"').expect("a closing quote")].to_string()
}

/// Starts an example that should run for ever, as the series' script
/// does, printing nothing; checks that it is still running, silent,
/// 300 ms later, and kills it.
fn runs_for_ever(name: &str) {
    let mut child = Command::new(built(name))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    thread::sleep(Duration::from_millis(300));
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    assert!(still_running, "{name} exited by itself: {}", output.status);
    assert_eq!(text(&output.stdout), "", "{name}");
    assert_eq!(text(&output.stderr), "", "{name}");
}

#[test]
fn simple_waits_for_ever_on_epoll() {
    runs_for_ever("simple");
}

#[test]
fn simple_poll_waits_for_ever_on_poll() {
    runs_for_ever("simple-poll");
}

#[test]
fn the_demo_runs_the_lesson_and_exits_0() {
    let output = testkit::run_ok(DEMO, &["--tick-ms", "20"]);
    let (stdout, stderr) = (output.stdout, output.stderr);
    assert_in_order(
        &stdout,
        &[
            "1. A reactor on epoll (mio).",
            "hello from inside run()",
            "5 ...",
            "4 ...",
            "cancelling the call due at",
            "3 ...",
            "a callback is about to panic",
            "2 ...",
            "1 ...",
            "liftoff; the stack of this callback",
            "stop()",
            "Failed callbacks reported: 1; the loop went on.",
            "The cancelled call is Cancelled and never ran: true.",
            "2. The same countdown on poll(2)",
            "5 ...",
            "1 ...",
            "stop()",
            "What to notice:",
        ],
    );
    // The stack's frames need debug information, which release builds of
    // this workspace leave out.
    if cfg!(debug_assertions) {
        assert_in_order(
            &stdout,
            &["liftoff", "main ", "run ", "run_loop ", "step ", "stop()"],
        );
    }
    let reports: Vec<&str> = stderr.lines().collect();
    assert_eq!(reports.len(), 1, "{stderr}");
    assert!(
        reports[0]
            .starts_with("Unhandled error in timed call scheduled at parts/part-03/src/main.rs:")
            && reports[0].ends_with(": this callback fell over"),
        "{stderr}"
    );
}

#[test]
fn the_demo_has_help_and_rejects_bad_input() {
    testkit::helps(DEMO, &["--tick-ms"]);
    // Each refused: a failing exit, an `error:` line naming the culprit, no panic.
    testkit::refuses(DEMO, &["--tick-ms", "0"], "--tick-ms");
    testkit::refuses(DEMO, &["--tick-ms", "soon"], "--tick-ms");
    testkit::refuses(DEMO, &["--bogus"], "--bogus");
}
