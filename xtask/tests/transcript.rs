//! Transcript logic: normalisation, `...` lines, and reading the command on a
//! transcript's first line.

use xtask::transcript::{Invocation, ParseError, Target, Transcript, compare, normalise_line};

#[test]
fn digit_runs_become_one_hash() {
    assert_eq!(
        normalise_line("Task 1: got 2726 bytes of poetry from 127.0.0.1:40113 in 0.703s"),
        "Task #: got # bytes of poetry from #.#.#.#:# in #.#s"
    );
    // Not digits from other scripts: only ASCII.
    assert_eq!(normalise_line("٣ apples"), "٣ apples");
}

#[test]
fn glyph_runs_with_their_spaces_become_one_tilde() {
    assert_eq!(
        normalise_line("task A |███   ▓▓▓| 1.5 s"),
        "task A |~| #.# s"
    );
    assert_eq!(normalise_line("A:  ░░ ·· ▒  B"), "A:~B");
    // Spaces not touching a glyph stay as they are.
    assert_eq!(normalise_line("a  b"), "a  b");
    // Bars of different lengths normalise to the same line.
    assert_eq!(
        normalise_line("A ████████      |"),
        normalise_line("A ███   ██  |")
    );
}

#[test]
fn trailing_whitespace_is_ignored() {
    assert_eq!(normalise_line("done   \t"), "done");
    assert!(compare("a\nb\n", "a   \nb\n\n\n").is_ok());
}

#[test]
fn timings_and_ports_may_differ() {
    let stored = "Task 1: got 10 bytes of poetry from 127.0.0.1:10000\nGot 1 poems in 0:00:02.1\n";
    let fresh = "Task 1: got 10 bytes of poetry from 127.0.0.1:47211\nGot 1 poems in 0:00:03.95\n";
    assert!(compare(stored, fresh).is_ok());
}

#[test]
fn ellipsis_matches_zero_lines() {
    assert!(compare("start\n...\nend\n", "start\nend\n").is_ok());
}

#[test]
fn ellipsis_matches_one_line() {
    assert!(compare("start\n...\nend\n", "start\nmiddle\nend\n").is_ok());
}

#[test]
fn ellipsis_matches_many_lines() {
    assert!(compare("start\n...\nend\n", "start\na\nb\nc\nd\nend\n").is_ok());
    // At the end, it swallows everything that is left.
    assert!(compare("start\n...\n", "start\nx\ny\n").is_ok());
    // It still needs what follows it to appear.
    assert!(compare("start\n...\nend\n", "start\na\nb\n").is_err());
}

#[test]
fn a_changed_word_is_reported_with_a_diff() {
    let err = compare(
        "Task 1: got 10 bytes\nGot 1 poems\n",
        "Task 1: got 10 bytes\nGot 1 poem\n",
    )
    .unwrap_err();
    assert_eq!(err.stored_line, 2);
    let text = err.to_string();
    assert!(text.contains("-Got # poems"), "{text}");
    assert!(text.contains("+Got # poem\n"), "{text}");
}

#[test]
fn missing_and_extra_lines_are_reported() {
    let missing = compare("a\nb\nc\n", "a\nb\n").unwrap_err();
    assert_eq!(missing.stored_line, 3);
    let extra = compare("a\nb\n", "a\nb\nc\n").unwrap_err();
    assert!(extra.diff.contains("+c"), "{}", extra.diff);
}

#[test]
fn default_binary_command() {
    let inv = Invocation::parse("$ cargo run -p part-01").unwrap();
    assert_eq!(inv.package, "part-01");
    assert_eq!(inv.target, Target::Default);
    assert!(inv.args.is_empty());
    assert_eq!(inv.program(), "part-01");
}

#[test]
fn bin_with_arguments() {
    let inv = Invocation::parse(
        "$ cargo run -p part-02 --bin slowpoetry -- --port 10000 poetry/ecstasy.txt",
    )
    .unwrap();
    assert_eq!(inv.target, Target::Bin("slowpoetry".into()));
    assert_eq!(inv.args, ["--port", "10000", "poetry/ecstasy.txt"]);
    assert_eq!(
        inv.to_string(),
        "$ cargo run -p part-02 --bin slowpoetry -- --port 10000 poetry/ecstasy.txt"
    );
}

#[test]
fn example_with_quoted_argument() {
    let inv =
        Invocation::parse(r#"$ cargo run -p part-07 --example defer-1 -- "two words" x"#).unwrap();
    assert_eq!(inv.target, Target::Example("defer-1".into()));
    assert_eq!(inv.args, ["two words", "x"]);
    assert_eq!(inv.program(), "defer-1");
}

#[test]
fn bad_first_lines_are_errors() {
    assert_eq!(
        Invocation::parse("cargo run -p x"),
        Err(ParseError::NoPrompt)
    );
    assert!(matches!(
        Invocation::parse("$ ls -l"),
        Err(ParseError::NotCargoRun(_))
    ));
    assert_eq!(
        Invocation::parse("$ cargo run --bin x"),
        Err(ParseError::NoPackage)
    );
    assert_eq!(
        Invocation::parse("$ cargo run -p"),
        Err(ParseError::MissingValue("-p".into()))
    );
    assert_eq!(
        Invocation::parse("$ cargo run -p x --release"),
        Err(ParseError::UnknownOption("--release".into()))
    );
    assert_eq!(
        Invocation::parse("$ cargo run -p x --bin a --example b"),
        Err(ParseError::Repeated("--example".into()))
    );
    assert_eq!(
        Invocation::parse(r#"$ cargo run -p x -- "open"#),
        Err(ParseError::UnterminatedQuote)
    );
}

#[test]
fn a_transcript_file_splits_into_command_and_body() {
    let t = Transcript::parse("$ cargo run -p part-01\nline one\nline two\n").unwrap();
    assert_eq!(t.invocation.package, "part-01");
    assert_eq!(t.body, "line one\nline two\n");
    assert!(Transcript::parse("no command here\n").is_err());
}
