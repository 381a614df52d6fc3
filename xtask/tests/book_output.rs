//! The console output shown in the book is still what the programs print.
//!
//! Every `book/src/output/*.txt` is run again and compared with what is
//! stored, with the same code as `cargo xtask output --check`: digits and
//! timeline bars may differ, words and line structure may not. To update a
//! transcript after changing a program on purpose, run
//! `cargo xtask output NAME` and review the diff.

use std::fs;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use xtask::output::{self, Outcome, TIMEOUT};
use xtask::programs::Programs;
use xtask::workspace_root;

/// `cargo build --workspace` may relink binaries the other test runs, so the
/// tests here take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn every_transcript_in_the_book_matches_its_program() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let root = workspace_root();
    let files = output::transcripts_in(&root.join(output::OUTPUT_DIR)).unwrap();
    if files.is_empty() {
        eprintln!(
            "no transcripts in {} yet: nothing to check",
            output::OUTPUT_DIR
        );
        return;
    }
    output::build_programs(&root).unwrap();
    let programs = Programs::load(&root).unwrap();
    let mut failures = Vec::new();
    for path in &files {
        match output::process(&programs, path, true, TIMEOUT) {
            Ok(Outcome::Matches) => {}
            Ok(other) => failures.push(format!("{}: unexpected {other:?}", path.display())),
            Err(err) => failures.push(format!("{err:#}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} transcripts no longer match (regenerate with `cargo xtask output NAME`):\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

/// A transcript of `xtask --help`: made fresh it matches; with one word
/// changed, the check fails and says where.
#[test]
fn a_transcript_whose_words_differ_fails() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let root = workspace_root();
    let programs = Programs::load(&root).unwrap();
    let xtask = programs.find("xtask").unwrap();
    // Cargo built this binary for the tests; it is the one the check runs.
    assert_eq!(
        programs.executable(xtask),
        Path::new(env!("CARGO_BIN_EXE_xtask"))
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xtask-help.txt");
    fs::write(&path, "$ cargo run -p xtask -- --help\n").unwrap();
    let timeout = Duration::from_secs(30);

    // Without --check: the file is filled with the real output.
    let outcome = output::process(&programs, &path, false, timeout).unwrap();
    assert!(matches!(outcome, Outcome::Written(true)), "{outcome:?}");
    let fresh = fs::read_to_string(&path).unwrap();
    assert!(fresh.contains("Usage: cargo xtask"), "{fresh}");
    assert!(
        fresh.contains("Regenerate the console transcripts"),
        "{fresh}"
    );

    // With --check: it matches itself.
    output::process(&programs, &path, true, timeout).unwrap();

    // Change one word of the stored output: the check must fail.
    let altered = fresh.replacen("Regenerate the console", "Regenerate the terminal", 1);
    assert_ne!(altered, fresh);
    fs::write(&path, &altered).unwrap();
    let err = output::process(&programs, &path, true, timeout).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("no longer matches"), "{text}");
    let line_with = |sign: char, words: &str| {
        text.lines()
            .any(|l| l.starts_with(sign) && l.contains("output") && l.contains(words))
    };
    assert!(line_with('-', "Regenerate the terminal"), "{text}");
    assert!(line_with('+', "Regenerate the console"), "{text}");

    // Regenerating keeps a transcript that uses `...` and still matches, and
    // rewrites one that no longer matches.
    let mut with_gap: Vec<&str> = fresh.lines().collect();
    let commands = with_gap
        .iter()
        .position(|l| l.starts_with("Commands:"))
        .unwrap();
    with_gap.splice(commands + 1..commands + 4, ["..."]);
    let with_gap = with_gap.join("\n") + "\n";
    fs::write(&path, &with_gap).unwrap();
    let outcome = output::process(&programs, &path, false, timeout).unwrap();
    assert!(matches!(outcome, Outcome::Kept), "{outcome:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), with_gap);
    fs::write(&path, &altered).unwrap();
    let outcome = output::process(&programs, &path, false, timeout).unwrap();
    assert!(matches!(outcome, Outcome::Written(true)), "{outcome:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), fresh);

    // A missing line fails too.
    let shorter: String = fresh
        .lines()
        .filter(|l| !l.contains("Regenerate"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&path, shorter).unwrap();
    assert!(output::process(&programs, &path, true, timeout).is_err());
}

/// A transcript naming a program that does not exist is an error, not a pass.
#[test]
fn a_transcript_for_an_unknown_program_fails() {
    let root = workspace_root();
    let programs = Programs::load(&root).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.txt");
    fs::write(&path, "$ cargo run -p xtask --bin no-such-program\n").unwrap();
    let err = output::process(&programs, &path, true, TIMEOUT).unwrap_err();
    assert!(
        format!("{err:#}").contains("no bin `no-such-program`"),
        "{err:#}"
    );
}
