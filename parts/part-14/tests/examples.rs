//! The examples of part 14, run as a reader would run them, with the order
//! of what they print checked against the series' script.

#[test]
fn defer_11_runs_callbacks_as_they_are_added_unless_paused() {
    let out = testkit::run_example_ok("part-14", "defer-11", &[]).stdout;
    // The series' events, in its order (the explanations between them are
    // ours): each callback runs as it is added, unless the deferred is
    // paused, and then they all run at `unpause`.
    let events: Vec<&str> = out
        .lines()
        .filter(|line| line.starts_with("callback_") || is_step(line))
        .collect();
    assert_eq!(
        events,
        [
            "Firing empty deferred.",
            "Adding first callback.",
            "callback_1 got 0",
            "Adding second callback.",
            "callback_2 got 1",
            "Adding third callback.",
            "callback_3 got 2",
            "Pausing, then firing deferred.",
            "Adding callbacks.",
            "Unpausing the deferred.",
            "callback_1 got 0",
            "callback_2 got 1",
            "callback_3 got 2",
        ]
    );
}

/// Whether `line` is one of the steps the series' script announces.
fn is_step(line: &str) -> bool {
    [
        "Firing empty deferred.",
        "Adding first callback.",
        "Adding second callback.",
        "Adding third callback.",
        "Pausing, then firing deferred.",
        "Adding callbacks.",
        "Unpausing the deferred.",
    ]
    .contains(&line)
}
