//! `defer-10`, run as a reader runs it, with the order of its lines
//! checked: the outer chain waits for the inner deferred.

use testkit::{self, assert_in_order};

#[test]
fn defer_10_pauses_the_outer_chain_until_the_timer_fires_the_inner_deferred() {
    let output = testkit::run_example("part-13", "defer-10", &["--delay-ms", "60"]);
    assert!(output.status.success(), "{}", output.stderr);
    let out = &output.stdout;
    assert_in_order(
        out,
        &[
            "Scene 1",
            "firing the outer deferred",
            "outer callback 1 got \"tyger tyger\"; returns an inner deferred",
            "the outer trigger has returned; the outer chain: Deferred { waiting, 1 step(s) to run, paused 1 }",
            "halfway: the reactor is free; the outer chain has not gone on",
            "the timer fires the inner deferred",
            "inner callback got \"TYGER TYGER\"",
            "outer callback 2 goes on with \"TYGER TYGER\"",
            "Scene 2",
            "firing the outer deferred",
            "paused 1",
            "halfway: the reactor is free; the outer chain has not gone on",
            "the timer fires the inner deferred",
            "outer errback got [Failure Message: the inner work failed",
        ],
    );
    // The failure skipped the inner callback and outer callback 2.
    assert_eq!(out.matches("inner callback got").count(), 1);
    assert_eq!(out.matches("outer callback 2 goes on").count(), 1);
    assert!(output.stderr.is_empty(), "{}", output.stderr);
}

#[test]
fn defer_10_refuses_a_bad_delay() {
    let output = testkit::run_example("part-13", "defer-10", &["--delay-ms", "soon"]);
    assert!(!output.status.success());
    assert!(output.stderr.starts_with("error: "), "{}", output.stderr);
}
