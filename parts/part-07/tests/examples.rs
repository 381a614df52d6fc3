//! The examples and the guided demo of part 7, run as a reader would run
//! them, with the sequence of events each one prints checked against the
//! series' script of the same name: `defer-1` … `defer-9`, `defer-block`,
//! `failure-examples`; then our `failure-sorting`, and the demo, including
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

/// The lines of `text`.
fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

// Each example prints what the series' script of the same name prints, in
// the same order; the expected lines below are the series' output (run
// under Twisted), with Rust's failures and errors in place of Python's.

#[test]
fn defer_1_runs_the_callback_then_main_goes_on() {
    let (stdout, stderr, _) = run_example("defer-1");
    assert_eq!(
        lines(&stdout),
        ["Your poem is served:", "This poem is short.", "Finished"]
    );
    assert_eq!(stderr, "");
}

#[test]
fn defer_2_runs_the_errback_then_main_goes_on() {
    let (stdout, stderr, _) = run_example("defer-2");
    assert_eq!(lines(&stdout), ["No poetry for you.", "Finished"]);
    assert_eq!(stderr, "");
}

#[test]
fn defer_3_wraps_a_plain_error_into_a_failure_that_remembers_where() {
    let (stdout, stderr, _) = run_example("defer-3");
    let fired_at = source_line("defer-3", ".errback(Failed)");
    assert_eq!(
        lines(&stdout),
        [
            "part_07::failure::Failure",
            &format!(
                "[Failure Failed: I have failed. (raised at parts/part-07/examples/defer-3.rs:{fired_at})]"
            ),
            "No poetry for you.",
        ]
    );
    assert_eq!(stderr, "");
}

/// `defer-4` to `defer-7`: the first firing runs the pair, which prints
/// what it was given; the second is refused, and the refusal ends the
/// program with an error before "Finished", as the series' exception does.
fn fired_twice(name: &str, first: &str) {
    let output = testkit::run_example("part-07", name, &[]);
    assert_eq!(lines(&output.stdout), [first], "{name}");
    assert_eq!(output.stderr, "Error: AlreadyCalled\n", "{name}");
    assert_eq!(output.status.code(), Some(1), "{name}");
}

/// The line `out` prints for the failure `First error` made in `name`.
fn first_error(name: &str) -> String {
    let at = source_line(name, "First error");
    format!("[Failure Message: First error (raised at parts/part-07/examples/{name}.rs:{at})]")
}

#[test]
fn defer_4_refuses_a_second_callback() {
    fired_twice("defer-4", "First result");
}

#[test]
fn defer_5_refuses_an_errback_after_a_callback() {
    fired_twice("defer-5", "First result");
}

#[test]
fn defer_6_refuses_a_second_errback() {
    fired_twice("defer-6", &first_error("defer-6"));
}

#[test]
fn defer_7_refuses_a_callback_after_an_errback() {
    fired_twice("defer-7", &first_error("defer-7"));
}

#[test]
fn defer_8_the_reactor_fires_the_deferred_and_the_callback_stops_it() {
    let (stdout, stderr, _) = run_example("defer-8");
    assert_eq!(lines(&stdout), ["Another short poem."]);
    assert_eq!(stderr, "");
}

#[test]
fn defer_9_add_both_stops_the_reactor() {
    let (stdout, stderr, _) = run_example("defer-9");
    assert_eq!(lines(&stdout), ["Another short poem."]);
    assert_eq!(stderr, "");
}

#[test]
fn defer_block_the_callback_blocks_whoever_fired_the_deferred() {
    let (stdout, stderr, took) = run_example("defer-block");
    assert_eq!(
        stdout,
        "Starting reactor.\n\
         Firing deferred.\n\
         The start of the callback chain.\n\
         \n\
         I block\n  and the deferred\n  blocks with me\nas does\n the reactor\n\
         keep that\n factor\nin mind\n\
         \n\
         The end of the callback chain.\n\
         Firing finished.\n\
         Done.\n"
    );
    // "Firing finished." waited for every pause of the poem (575 ms).
    assert!(took >= Duration::from_millis(575), "{took:?}");
    assert_eq!(stderr, "");
}

#[test]
fn failure_examples_say_where_each_failure_was_made() {
    let (stdout, stderr, _) = run_example("failure-examples");
    let file = "parts/part-07/examples/failure-examples.rs";
    let made = source_line("failure-examples", "Failure::new(RhymeSchemeViolation)");
    let caught = source_line("failure-examples", "Err(RhymeSchemeViolation)?");
    let failure = |line| {
        format!("[Failure RhymeSchemeViolation: rhyme scheme violation (raised at {file}:{line})]")
    };
    assert_eq!(
        lines(&stdout),
        [
            "Just making an exception:",
            "",
            &failure(made),
            "",
            "",
            "Catching an exception:",
            "",
            &failure(caught),
        ]
    );
    assert_eq!(stderr, "");
}

#[test]
fn failure_sorting_shows_what_a_failure_holds_and_how_to_sort_it() {
    let (stdout, stderr, _) = run_example("failure-sorting");
    let file = "parts/part-07/examples/failure-sorting.rs";
    let made_at = source_line("failure-sorting", "Failure::new(NotASonnet { lines: 3 })");
    let question_mark = source_line("failure-sorting", "digits.parse::<u32>()?");
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
            "type:          failure_sorting::NotASonnet",
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
