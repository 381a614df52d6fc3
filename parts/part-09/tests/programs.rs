//! The example `defer-unhandled` and the guided demo, run as a reader runs
//! them. The example's report goes to standard error and its own lines to
//! standard output, so both are read from one pipe, in the order they were
//! written: the report must fall exactly where the last handle is dropped.
//!
//! Examples have no `CARGO_BIN_EXE_*`, so the example runs with `cargo run`
//! from the workspace root, which builds it first if needed.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use testkit::run;

const DEMO: &str = env!("CARGO_BIN_EXE_part-09");

/// Runs `cargo run -q -p part-09 --example NAME` with standard output and
/// standard error written to one pipe; returns what came through it.
fn example_merged(name: &str) -> String {
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["run", "-q", "-p", "part-09", "--example", name])
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .stdin(Stdio::null())
        .stdout(writer.try_clone().expect("a second writer"))
        .stderr(writer);
    let mut child = command.spawn().expect("cargo runs");
    drop(command); // our copies of the writing end: the pipe ends with the child
    let mut merged = String::new();
    reader.read_to_string(&mut merged).expect("UTF-8 output");
    let status = child.wait().expect("the example ends");
    assert!(status.success(), "{name} failed ({status}):\n{merged}");
    merged
}

/// The index of the line that starts with `start`, failing if there is none.
fn line_of(lines: &[&str], start: &str) -> usize {
    lines
        .iter()
        .position(|line| line.starts_with(start))
        .unwrap_or_else(|| panic!("no line {start:?} in {lines:#?}"))
}

#[test]
fn the_unhandled_report_comes_as_the_last_handle_is_dropped_and_not_once_handled() {
    let merged = example_merged("defer-unhandled");
    let lines: Vec<&str> = merged.lines().collect();
    let reports: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.starts_with("Unhandled error in Deferred: "))
        .map(|(at, _)| at)
        .collect();
    assert_eq!(
        reports.len(),
        2,
        "case 1 and case 3 report, case 2 does not:\n{merged}"
    );

    // Case 1: after the trigger is dropped, not after the deferred.
    let deferred_dropped = line_of(&lines, "   dropping the deferred (the trigger");
    let trigger_dropped = line_of(&lines, "   dropping the trigger, the last handle");
    let after = line_of(&lines, "   both dropped");
    assert!(deferred_dropped < trigger_dropped);
    assert_eq!(reports[0], trigger_dropped + 1, "{merged}");
    assert_eq!(after, reports[0] + 1, "{merged}");
    assert!(
        lines[reports[0]].starts_with(
            "Unhandled error in Deferred: [Failure Message: the poem is empty (raised at parts/part-09/examples/defer-unhandled.rs:"
        ),
        "{}",
        lines[reports[0]]
    );

    // Case 2: handled, no report between its first and last lines.
    let handled_from = line_of(&lines, "2. The same chain, with an errback");
    let handled_to = line_of(&lines, "   both dropped: nothing to report");
    assert!(reports.iter().all(|&r| r < handled_from || r > handled_to));
    assert!(lines.contains(&"   errback: the poem is empty"));

    // Case 3: at the end of main, after everything main printed.
    assert_eq!(reports[1], lines.len() - 1, "{merged}");
    assert_eq!(lines[reports[1] - 1], "   fired; this is main's last line");
}

#[test]
fn the_demo_draws_its_chains_reports_on_drop_and_ends() {
    let output = run(DEMO, &[]);
    assert!(output.status.success(), "{}", output.stderr);
    let out = &output.stdout;
    for chain in [
        "result p/p r/p p/p",
        "result f/p p/p p/r p/p",
        "failure p/r f/p p/p",
        "failure r/- p/- r/-",
    ] {
        let drawing = part_09::picture(chain).expect("a well-formed chain");
        assert!(out.contains(&drawing), "the drawing of {chain} in\n{out}");
    }
    assert!(out.contains("What to notice:"));
    assert!(out.contains("   dropped the trigger: that was the last handle"));
    // The drop of section 5 reports on standard error, once.
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
    assert!(output.stderr.starts_with(
        "Unhandled error in Deferred: [Failure Message: a poem of no lines (raised at parts/part-09/src/main.rs:"
    ));
    assert!(output.took.as_secs() < 5);

    let help = run(DEMO, &["--help"]);
    assert!(help.status.success());
    assert!(help.stdout.contains("Usage: part-09"));
    let bad = run(DEMO, &["--nope"]);
    assert!(!bad.status.success());
    assert!(bad.stderr.starts_with("error: "));
}
