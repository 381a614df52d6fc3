//! The guided demo as a user runs it: `cargo run -p part-01`.

use std::process::{Command, Output};

fn demo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_part-01"))
        .args(args)
        .output()
        .expect("the demo binary runs")
}

#[test]
fn runs_the_three_models_and_ends() {
    let out = demo(&["--tick-ms", "5", "--width", "40"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for title in [
        "Synchronous",
        "Threaded",
        "Asynchronous",
        "Totals",
        "What to notice",
    ] {
        assert!(stdout.contains(title), "missing {title:?} in:\n{stdout}");
    }
    // Three timelines, each with three task rows.
    assert_eq!(stdout.matches("  task 1 │").count(), 3, "{stdout}");
    let headers = stdout
        .lines()
        .filter(|l| l.contains("   total ") && l.ends_with('s'))
        .count();
    assert_eq!(headers, 3, "{stdout}");
    // Every line fits a terminal of 80 columns.
    for line in stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
}

#[test]
fn help_describes_the_options() {
    let out = demo(&["--help"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.contains("--tick-ms"), "{stdout}");
    assert!(stdout.contains("--width"), "{stdout}");
}

#[test]
fn a_bad_option_value_is_an_error() {
    for args in [
        &["--tick-ms", "soon"][..],
        &["--tick-ms", "0"],
        &["--width", "5"],
        &["--bogus"],
    ] {
        let out = demo(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr.starts_with("error:"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
