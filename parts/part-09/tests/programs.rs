//! The example `defer-unhandled` and the guided demo, run as a reader runs
//! them. The example's report goes to standard error and its own line to
//! standard output, so both are read from one pipe, in the order they were
//! written: the report must come after "Finished", as the series' does.
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

#[test]
fn the_unhandled_report_comes_after_finished_as_main_ends() {
    // As the series' script prints: "Finished", then the report.
    let merged = example_merged("defer-unhandled");
    let lines: Vec<&str> = merged.lines().collect();
    assert_eq!(lines.len(), 2, "{merged}");
    assert_eq!(lines[0], "Finished");
    let at = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/defer-unhandled.rs"),
    )
    .expect("the example's source")
    .lines()
    .position(|line| line.contains("Failure::msg(\"oops\")"))
    .expect("the failing line")
        + 1;
    assert_eq!(
        lines[1],
        format!(
            "Unhandled error in Deferred: [Failure Message: oops \
             (raised at parts/part-09/examples/defer-unhandled.rs:{at})]"
        )
    );
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
