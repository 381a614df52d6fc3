//! `deferred-simulator --series`: the series' simulator, checked against
//! the series' own pictures. The files in `tests/series/` are what the
//! series' `deferred-simulator.py` printed, under Twisted, for the same
//! pairs (from its `Deferred` title on, trailing spaces removed): ours must
//! draw the same chain and the same two firings, character for character.

use std::io::Write;
use std::process::{Command, Stdio};

use testkit::{helps, run};

const SIMULATOR: &str = env!("CARGO_BIN_EXE_deferred-simulator");

/// The simulator with `args`, fed `input`; its standard output from the
/// line where the picture's `Deferred` title is.
fn picture(args: &[&str], input: &str) -> String {
    let mut child = Command::new(SIMULATOR)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the simulator starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let from = lines
        .iter()
        .position(|line| line.trim_start().starts_with("Deferred"))
        .unwrap_or_else(|| panic!("no picture in:\n{stdout}"));
    lines[from..].join("\n")
}

/// A file of the series' output, as lines joined the same way.
fn series(name: &str) -> String {
    let path = format!("{}/tests/series/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().collect::<Vec<_>>().join("\n")
}

#[test]
fn the_three_columns_are_the_series_picture() {
    let ours = picture(&["--series"], "r good f bad\nf googly p\n\n");
    assert_eq!(ours, series("good-bad.txt"));
}

#[test]
fn narrow_draws_the_series_single_column() {
    let ours = picture(
        &["--series", "--narrow"],
        "f a r b\nf c r d\nr e f g\np p\n\n",
    );
    assert_eq!(ours, series("narrow.txt"));
}

#[test]
fn pairs_in_the_arguments_draw_the_same_picture() {
    let out = run(SIMULATOR, &["--series", "r good f bad", "f googly p"]);
    assert!(out.status.success(), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.join("\n"), series("good-bad.txt"));
}

#[test]
fn bad_pairs_are_complained_about_and_the_session_goes_on() {
    let mut child = Command::new(SIMULATOR)
        .arg("--series")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"x y\nr toolong p\n\nr\np p p\np r x\n\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let complaints: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("ERROR") || line.starts_with("You must"))
        .collect();
    assert_eq!(
        complaints,
        [
            "ERROR: bad command: x",
            "ERROR: result more than 6 chars long: toolong",
            "You must enter at least one pair.",
            "ERROR: missing argument",
            "ERROR: extra arguments",
        ]
    );
    assert!(stdout.contains("passthru"), "the good pair was drawn");
    // And as arguments: one clear error.
    let out = run(SIMULATOR, &["--series", "r toolong p"]);
    assert!(!out.status.success());
    assert_eq!(
        out.stderr,
        "error: \"r toolong p\": result more than 6 chars long: toolong\n"
    );
    helps(SIMULATOR, &["--series", "--narrow"]);
}
