//! The series' `deferred-list` examples, run as a reader runs them, with
//! the order of what they print checked against the originals'.

use testkit::{assert_in_order, run_example_ok};

/// Runs `deferred-list-N` and returns what it printed (stdout, stderr).
fn run(n: u32) -> (String, String) {
    let out = run_example_ok("part-18", &format!("deferred-list-{n}"), &[]);
    (out.stdout, out.stderr)
}

#[test]
fn an_empty_list_fires_when_its_callback_is_added() {
    let (out, _) = run(1);
    assert_in_order(&out, &["Empty List.", "Adding Callback.", "We got: []"]);
}

#[test]
fn a_list_of_one_fires_when_that_one_fires() {
    let (out, _) = run(2);
    assert_in_order(
        &out,
        &[
            "One Deferred.",
            "Adding Callback.",
            "Firing d1.",
            r#"We got: [(true, "d1 result")]"#,
        ],
    );
}

#[test]
fn outcomes_come_in_the_given_order_whatever_order_they_fire_in() {
    for (n, first, second) in [
        (3, "Firing d1.", "Firing d2."),
        (4, "Firing d2.", "Firing d1."),
    ] {
        let (out, _) = run(n);
        assert_in_order(
            &out,
            &[
                "Two Deferreds.",
                "Adding Callback.",
                first,
                second,
                r#"We got: [(true, "d1 result"), (true, "d2 result")]"#,
            ],
        );
        assert_eq!(out.matches("We got").count(), 1, "{out}");
    }
}

#[test]
fn a_failure_is_listed_and_reported_only_when_neither_consumed_nor_handled() {
    for n in [5, 6, 7] {
        let (out, err) = run(n);
        assert_in_order(
            &out,
            &[
                "Firing d1.",
                "Firing d2 with errback.",
                r#"We got: [(true, "d1 result"), (false, [Failure Message: d2 failure"#,
            ],
        );
        let reported = err.contains("Unhandled error in Deferred: [Failure Message: d2 failure");
        assert_eq!(reported, n == 6, "deferred-list-{n}: stderr {err:?}");
    }
}
