//! The guided demo, run as a reader runs it: it ends by itself, every step
//! says what happened, and the poems arrive whole and interleaved.

use testkit::assert_in_order;

const DEMO: &str = env!("CARGO_BIN_EXE_part-17");

#[test]
fn the_demo_runs_every_step_and_ends_by_itself() {
    let out = testkit::run_ok(DEMO, &["--delay-ms", "10"]);
    assert_in_order(
        &out.stdout,
        &[
            "task A: step 1",
            "task B: step 1",
            "task A: step 2",
            "task B: step 2",
            "Woken with \"a poem from another thread\", and running on the reactor's thread.",
            "inline_callbacks gave a deferred that had failed already: [Failure ParseIntError",
            "The panicking task's deferred failed: [Failure TaskPanicked: the task panicked at",
            "The reactor and the other tasks went on.",
            "Task 1: 661 bytes of poetry",
            "Got every poem in",
            "What to notice:",
        ],
    );
    // The downloads waited at the same time: their chunk lines alternate.
    let order: Vec<usize> = out
        .stdout
        .lines()
        .filter_map(testkit::task_line)
        .filter(|(_, rest)| rest.starts_with("got "))
        .map(|(task, _)| task)
        .collect();
    let switches = order.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(switches > 3, "interleaved chunks: {order:?}");
    assert_eq!(out.stderr, "");
}

#[test]
fn the_demo_refuses_bad_options() {
    testkit::refuses(DEMO, &["--servers", "0"], "--servers");
}
