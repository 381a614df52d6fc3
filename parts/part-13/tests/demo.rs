//! The guided demo, run as a reader runs it: each chain's steps must come
//! in the order the lesson says, for every task, with the transformation
//! server up and then down.

use testkit::{self, assert_in_order};

const DEMO: &str = env!("CARGO_BIN_EXE_part-13");

/// The lines about task `n`, in order, without their times.
fn steps_of(section: &str, n: usize) -> Vec<String> {
    let tag = format!("s  task {n}: ");
    section
        .lines()
        .filter_map(|line| line.split_once(&tag).map(|(_, step)| step.to_string()))
        .collect()
}

#[test]
fn the_demo_tells_each_chain_step_by_step_and_ends() {
    let output = testkit::run(
        DEMO,
        &["--servers", "2", "--num-bytes", "200", "--delay-ms", "20"],
    );
    assert!(output.status.success(), "{}", output.stderr);
    let out = &output.stdout;
    let (up, down) = out
        .split_once("2. The transformation server down")
        .expect("two sections");
    assert_in_order(
        up,
        &["1. The transformation server up, asked to cummingsify:"],
    );
    for n in 1..=2 {
        let up = steps_of(up, n);
        let starts = |i: usize, with: &str| {
            assert!(
                up.get(i).is_some_and(|s| s.starts_with(with)),
                "task {n}: {up:#?}"
            )
        };
        assert_eq!(up.len(), 5, "{up:#?}");
        starts(0, "download finished");
        starts(
            1,
            "outer callback 2 asks the transformation server to cummingsify it",
        );
        starts(
            2,
            "callback 2 has returned; the outer chain's next step has not run: paused",
        );
        starts(3, "the inner deferred fired with the transformed poem");
        starts(4, "the outer chain goes on, with the poem that begins");
        let down = steps_of(down, n);
        assert_eq!(down.len(), 5, "{down:#?}");
        assert!(down[2].ends_with("paused"), "{down:#?}");
        assert!(
            down[3].starts_with("the inner deferred failed (cannot connect"),
            "{down:#?}"
        );
        assert!(down[3].ends_with("its errback returns the original"));
    }
    // Transformed when up (lower case), the original when down.
    assert!(up.contains("begins \"sonnet — to science\""), "{up}");
    assert!(down.contains("begins \"Sonnet — To Science\""), "{down}");
    assert_in_order(down, &["What to notice:"]);
}

#[test]
fn the_demo_has_help() {
    let output = testkit::run(DEMO, &["--help"]);
    assert!(output.status.success());
    for option in ["--servers", "--num-bytes", "--delay-ms", "--transform"] {
        assert!(output.stdout.contains(option), "{}", output.stdout);
    }
}

#[test]
fn the_demo_refuses_bad_options() {
    for args in [
        &["--servers", "0"][..],
        &["--delay-ms", "x"],
        &["--nonsense"],
    ] {
        let output = testkit::run(DEMO, args);
        assert!(!output.status.success(), "{args:?}");
        assert!(output.stderr.starts_with("error: "), "{}", output.stderr);
        assert!(!output.stderr.contains("panicked"), "{}", output.stderr);
    }
}
