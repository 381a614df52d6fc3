//! The examples and the guided demo of part 7, run as a reader would run
//! them, with the sequence of events each one prints checked: `defer-1` …
//! `defer-9`, `defer-block`, `failure-examples`, and the demo, including
//! its bad input.
//!
//! Examples have no `CARGO_BIN_EXE_*`, so they are run with `cargo run`
//! from the workspace root, which builds them first if needed.

use std::time::Duration;
use testkit::{self, assert_in_order, workspace_root};

const DEMO: &str = env!("CARGO_BIN_EXE_part-07");

/// Runs one of this part's examples to the end, checking that it
/// succeeded; returns its stdout, its stderr, and how long it took.
fn run_example(name: &str) -> (String, String, Duration) {
    let output = testkit::run_example_ok("part-07", name, &[]);
    (output.stdout, output.stderr, output.took)
}

/// The number of the (first) line of an example's source that contains
/// `needle`.
fn source_line(example: &str, needle: &str) -> usize {
    let path = workspace_root().join(format!("parts/part-07/examples/{example}.rs"));
    let source = std::fs::read_to_string(&path).expect("the example's source");
    source
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} in {}", path.display()))
        + 1
}

#[test]
fn defer_1_runs_the_callback_then_main_goes_on() {
    let (stdout, stderr, _) = run_example("defer-1");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "Your poem is served:",
            "Tyger Tyger, burning bright,",
            "Finished"
        ]
    );
    assert_eq!(stderr, "");
}

#[test]
fn defer_2_runs_the_errback_then_main_goes_on() {
    let (stdout, stderr, _) = run_example("defer-2");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0], "No poetry for you.");
    let raised_at = source_line("defer-2", "Failure::msg(");
    assert_eq!(
        lines[1],
        format!(
            "(the errback was given [Failure Message: the poetry server has run out of verse \
             (raised at parts/part-07/examples/defer-2.rs:{raised_at})])"
        )
    );
    assert_eq!(lines[2], "Finished");
    assert_eq!(stderr, "");
}

#[test]
fn defer_3_wraps_a_plain_error_into_a_failure_that_remembers_where() {
    let (stdout, stderr, _) = run_example("defer-3");
    let fired_at = source_line("defer-3", ".errback(HungUp");
    let file = "parts/part-07/examples/defer-3.rs";
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "No poetry for you.",
            "The errback was given a Failure, not a bare HungUp:",
            &format!(
                "  [Failure HungUp: the server hung up after 120 bytes (raised at {file}:{fired_at})]"
            ),
            "  type:      defer_3::HungUp",
        ],
        "{stdout}"
    );
    assert_eq!(lines[4], "  message:   the server hung up after 120 bytes");
    assert!(
        lines[5].starts_with(&format!("  raised at: {file}:{fired_at}:")),
        "{stdout}"
    );
    assert_eq!(lines[6], "  and the HungUp is still inside: bytes = 120");
    assert_eq!(lines[7..], ["Finished"]);
    assert_eq!(stderr, "");
}

/// `defer-4` to `defer-6`: the first firing runs the pair; the second is
/// refused and runs nothing.
fn fired_twice(name: &str, first: &str, ran: &[&str], second: &str) {
    let (stdout, stderr, _) = run_example(name);
    let mut expected = vec![first];
    expected.extend(ran);
    expected.extend([
        second,
        "  refused: the deferred has already been called (AlreadyCalled)",
        "Finished",
    ]);
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    assert_eq!(stderr, "");
}

const SERVED: [&str; 2] = ["  Your poem is served:", "  Tyger Tyger, burning bright,"];

#[test]
fn defer_4_refuses_a_second_callback() {
    fired_twice(
        "defer-4",
        "Firing the deferred with a poem:",
        &SERVED,
        "Firing it again, with another poem:",
    );
}

#[test]
fn defer_5_refuses_an_errback_after_a_callback() {
    fired_twice(
        "defer-5",
        "Firing the deferred with a poem:",
        &SERVED,
        "Firing it again, with a failure:",
    );
}

#[test]
fn defer_6_refuses_a_callback_after_an_errback() {
    fired_twice(
        "defer-6",
        "Firing the deferred with a failure:",
        &["  No poetry for you. (the poetry server has run out of verse)"],
        "Firing it again, with a poem:",
    );
}

/// The seconds in `The reactor has stopped, S s after it started.`
fn stopped_after(line: &str) -> f64 {
    line.strip_prefix("The reactor has stopped, ")
        .and_then(|rest| rest.strip_suffix(" s after it started."))
        .and_then(|secs| secs.parse().ok())
        .unwrap_or_else(|| panic!("not a stop line: {line:?}"))
}

#[test]
fn defer_7_the_reactor_fires_the_deferred_and_the_callback_stops_it() {
    let (stdout, stderr, took) = run_example("defer-7");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Starting the reactor; a timed call will fire the deferred.",
            "Your poem is served:",
            "Tyger Tyger, burning bright,",
        ],
        "{stdout}"
    );
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(stopped_after(lines[3]) >= 0.2, "{stdout}");
    assert!(took >= Duration::from_millis(200));
    assert_eq!(stderr, "");
}

#[test]
fn defer_8_the_reactor_fires_a_failure_and_the_errback_stops_it() {
    let (stdout, stderr, _) = run_example("defer-8");
    let lines: Vec<&str> = stdout.lines().collect();
    let raised_at = source_line("defer-8", "Failure::msg(");
    assert_eq!(
        lines[..3],
        [
            "Starting the reactor; a timed call will fire the deferred.",
            "No poetry for you.",
            &format!(
                "[Failure Message: the poetry server did not answer \
                 (raised at parts/part-07/examples/defer-8.rs:{raised_at})]"
            ),
        ],
        "{stdout}"
    );
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(stopped_after(lines[3]) >= 0.2, "{stdout}");
    assert_eq!(stderr, "");
}

#[test]
fn defer_9_add_both_stops_the_reactor_either_way() {
    let (stdout, stderr, _) = run_example("defer-9");
    let done = "  poem_done (the pair ended with a result): stopping the reactor.";
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "Run 1: starting the reactor; a timed call will fire the deferred with a poem.",
            "  Your poem is served:",
            "  Tyger Tyger, burning bright,",
            done,
            "Run 1: the reactor has stopped.",
            "Run 2: starting the reactor; a timed call will fire the deferred with a failure.",
            "  No poetry for you. (the poetry server did not answer)",
            done,
            "Run 2: the reactor has stopped.",
            "Finished",
        ]
    );
    assert_eq!(stderr, "");
}

#[test]
fn defer_block_the_callback_blocks_whoever_fired_the_deferred() {
    let (stdout, stderr, took) = run_example("defer-block");
    // Each line: `S.S s  what`.
    let events: Vec<(f64, &str)> = stdout
        .lines()
        .map(|line| {
            let (secs, what) = line
                .split_once(" s  ")
                .unwrap_or_else(|| panic!("no time on {line:?}"));
            (secs.parse().expect("seconds"), what.trim_start())
        })
        .collect();
    let whats: Vec<&str> = events.iter().map(|(_, what)| *what).collect();
    assert_eq!(
        whats,
        [
            "main: firing the deferred",
            "callback: got the poem; now sleeping (blocking!)",
            "callback: awake, returning",
            "main: callback() has returned; the callback ran inside it",
            "main: adding a callback to the deferred, which has fired",
            "second callback: runs at once, got 28",
            "main: add_callback() has returned",
        ]
    );
    // The nap is half a second, and `main` waited for all of it.
    let at = |i: usize| events[i].0;
    assert!(at(1) < 0.5, "{stdout}");
    assert!(at(2) >= 0.5 && at(3) >= 0.5, "{stdout}");
    assert!(took >= Duration::from_millis(500));
    assert_eq!(stderr, "");
}

#[test]
fn failure_examples_show_what_a_failure_holds_and_how_to_sort_it() {
    let (stdout, stderr, _) = run_example("failure-examples");
    let file = "parts/part-07/examples/failure-examples.rs";
    let made_at = source_line("failure-examples", "Failure::new(NotASonnet { lines: 3 })");
    let question_mark = source_line("failure-examples", "digits.parse::<u32>()?");
    let not_a_sonnet =
        format!("[Failure NotASonnet: a sonnet has 14 lines, not 3 (raised at {file}:{made_at})]");
    let parse_error = format!(
        "[Failure ParseIntError: invalid digit found in string (raised at {file}:{question_mark})]"
    );
    assert_in_order(
        &stdout,
        &[
            "1. A failure made from an error",
            &format!("as a line:     {not_a_sonnet}"),
            "type:          failure_examples::NotASonnet",
            "short type:    NotASonnet",
            "message:       a sonnet has 14 lines, not 3",
            &format!("raised at:     {file}:{made_at}:"),
            "2. `?` turns any error into a failure",
            "line_count(\"lines: 14\")       = Ok(14)",
            &format!("line_count(\"lines: fourteen\") = Err({parse_error})"),
            "check::<NotASonnet>()    = true",
            "check::<ParseIntError>() = false",
            "the poem has 3 lines",
            &format!("trap::<ParseIntError>() = Err, unchanged: {not_a_sonnet}"),
            "trap::<NotASonnet>()    = Ok(NotASonnet { lines: 3 })",
            "6. In a chain",
            "fired with \"lines: 14\":",
            "callback: the poem has 14 lines",
            "fired with \"lines: 3\":",
            "errback 1: a sonnet has 14 lines, not 3; a poem all the same",
            "callback: the poem has 3 lines",
            "fired with \"lines: ???\":",
            // Passed on by errback 1, and still saying where it came from.
            &format!("errback 2: gave up: {parse_error}"),
        ],
    );
    assert_eq!(stdout.matches("errback 1").count(), 1, "{stdout}");
    assert_eq!(stderr, "");
}

#[test]
fn the_demo_runs_the_lesson_and_exits_0() {
    let output = testkit::run_ok(DEMO, &["--delay-ms", "50"]);
    let (stdout, stderr) = (output.stdout, output.stderr);
    assert_in_order(
        &stdout,
        &[
            "1. A deferred fired with a result",
            "main: firing it with a poem ...",
            "callback: got \"Tyger Tyger, burning bright,\"",
            "main: ... callback() returned Ok(())",
            "2. A deferred fired with a failure",
            "main: firing it with a failure ...",
            "errback: got [Failure Message: the poetry server hung up (raised at parts/part-07/src/main.rs:",
            "main: ... errback() returned Ok(())",
            "3. A deferred fired twice",
            "callback(poem)   -> Ok(())",
            "callback(poem)   -> Err(AlreadyCalled)",
            "errback(failure) -> Err(AlreadyCalled)",
            "the callback ran once",
            "4. A chain of five steps",
            // A result: every callback runs, no errback.
            "fired with \"2726\":",
            "1. callback  parse the poem's size      ran: Ok(2726)",
            "2. callback  check it is not empty      ran: 2726 is not 0",
            "3. errback   not a number? then 0       skipped",
            "4. callback  describe the size          ran: \"2726 bytes\"",
            "5. errback   report the failure         skipped",
            // A failure skips a callback; an errback recovers.
            "fired with \"27x6\":",
            "1. callback  parse the poem's size      ran: Err(ParseIntError",
            "2. callback  check it is not empty      skipped",
            "3. errback   not a number? then 0       ran: got ParseIntError, returns Ok(0)",
            "4. callback  describe the size          ran: \"0 bytes\"",
            "5. errback   report the failure         skipped",
            // A failure the errback does not handle goes on to the next.
            "fired with \"0\":",
            "2. callback  check it is not empty      ran: it is 0: fails",
            "3. errback   not a number? then 0       ran: got Message: not ours, passes it on",
            "4. callback  describe the size          skipped",
            "5. errback   report the failure         ran: [Failure Message: an empty poem",
            "5. A deferred fired by the reactor",
            "main: a timed call will fire the deferred in 0.05s; running the reactor",
            "timed call: firing the deferred",
            "callback: got \"Tyger Tyger, burning bright,\"; stopping the reactor",
            "timed call: callback() has returned",
            "main: run() has returned",
            "What to notice:",
        ],
    );
    assert!(!stdout.contains("a bug!"), "{stdout}");
    assert_eq!(stderr, "", "no unhandled failures");
}

#[test]
fn the_demo_has_help_and_rejects_bad_input() {
    testkit::helps(DEMO, &["--delay-ms"]);
    // Each refused: a failing exit, an `error:` line naming the culprit, no panic.
    testkit::refuses(DEMO, &["--delay-ms", "0"], "--delay-ms");
    testkit::refuses(DEMO, &["--delay-ms", "soon"], "--delay-ms");
    testkit::refuses(DEMO, &["--bogus"], "--bogus");
}
