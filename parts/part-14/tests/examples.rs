//! The examples of part 14, run as a reader would run them, with the order
//! of what they print checked.

use part_02::testing::{self, assert_in_order};

fn run_example(name: &str) -> String {
    let output = testing::run_example("part-14", name, &[]);
    assert!(
        output.status.success(),
        "{name} failed ({}):\n{}\n{}",
        output.status,
        output.stdout,
        output.stderr
    );
    output.stdout
}

#[test]
fn defer_11_runs_callbacks_as_they_are_added_unless_paused() {
    let out = run_example("defer-11");
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
