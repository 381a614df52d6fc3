//! The examples of part 14, run as a reader would run them, with the order
//! of what they print checked.

use testkit::{self, assert_in_order};

#[test]
fn defer_11_runs_callbacks_as_they_are_added_unless_paused() {
    let out = testkit::run_example_ok("part-14", "defer-11", &[]).stdout;
    // Scene 1: each callback runs inside the call that adds it.
    assert_in_order(
        &out,
        &[
            "firing the deferred with 1",
            "adding the first callback",
            "first callback got 1, returns 2",
            "the first callback has returned; adding the second",
            "second callback got 2, returns 20",
            "adding the last",
            "last callback got 20",
            "done",
        ],
    );
    // Scene 2: nothing runs until unpause.
    assert_in_order(
        &out,
        &[
            "Scene 2",
            "pausing the deferred",
            "firing the deferred with 1",
            "first callback added (it has not run)",
            "second callback added (it has not run either)",
            "unpausing",
            "first callback got 1, returns 2",
            "second callback got 2",
            "unpaused: both callbacks have run.",
        ],
    );
}
