//! `defer-10`, run as a reader runs it: its callbacks print what the
//! series' script's callbacks print, in the same order, with the outer
//! chain waiting for the inner deferred between `callback_2` and
//! `callback_3`.

use testkit::{self, assert_in_order};

#[test]
fn defer_10_pauses_the_outer_chain_until_the_inner_deferred_fires() {
    let output = testkit::run_example("part-13", "defer-10", &[]);
    assert!(output.status.success(), "{}", output.stderr);
    let out = &output.stdout;
    // The series' events, in order (its explanations between them are its
    // own, and ours are ours).
    let events: Vec<&str> = out
        .lines()
        .filter(|line| line.starts_with("callback_"))
        .collect();
    assert_eq!(
        events,
        [
            "callback_1 got 0",
            "callback_2 got 1",
            "callback_3 got 2",
            "callback_1 got 0",
            "callback_2 got 1",
            "callback_3 got 2",
        ]
    );
    // callback_3 of the second chain runs only after the inner deferred is
    // fired, which `main` announces between the two.
    assert_in_order(
        out,
        &[
            "callback_2 got 1",
            "callback_2 got 1",
            "Firing it:",
            "callback_3 got 2",
        ],
    );
    assert!(output.stderr.is_empty(), "{}", output.stderr);
}
