//! The series' twelve `defer-cancel` examples, run as a reader runs them,
//! with what they print (and its order) checked against the originals'.

use testkit::{Output, run_example_ok};

/// Runs `defer-cancel-N` with `args`.
fn run(n: u32, args: &[&str]) -> Output {
    run_example_ok("part-19", &format!("defer-cancel-{n}"), args)
}

/// The lines of `text`, each cut at its first `(raised at`, so that a
/// failure's origin does not count.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| match line.find(" (raised at") {
            Some(at) => line[..at].to_string(),
            None => line.to_string(),
        })
        .collect()
}

const CANCELLED: &str = "[Failure CancelledError: the deferred was cancelled";

#[test]
fn a_cancel_with_no_errback_leaves_an_unhandled_failure() {
    let out = run(1, &[]);
    assert_eq!(lines(&out.stdout), ["done"]);
    assert_eq!(
        lines(&out.stderr),
        [format!("Unhandled error in Deferred: {CANCELLED}")]
    );
}

#[test]
fn a_cancel_before_firing_runs_the_errback_whether_fired_later_or_not() {
    for n in [2, 4] {
        let out = run(n, &[]);
        assert_eq!(
            lines(&out.stdout),
            [format!("errback got: {CANCELLED}"), "done".to_string()],
            "defer-cancel-{n}"
        );
        assert_eq!(out.stderr, "", "defer-cancel-{n}");
    }
}

#[test]
fn a_cancel_after_firing_changes_nothing_and_calls_no_canceller() {
    for n in [3, 8] {
        let out = run(n, &[]);
        assert_eq!(
            lines(&out.stdout),
            ["callback got: result", "done"],
            "defer-cancel-{n}"
        );
    }
}

#[test]
fn the_canceller_runs_before_the_errback() {
    let out = run(5, &[]);
    let got = lines(&out.stdout);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].starts_with("I need to cancel this deferred: Trigger { unfired"));
    assert_eq!(got[1], format!("errback got: {CANCELLED}"));
    assert_eq!(got[2], "done");
}

#[test]
fn a_canceller_may_fire_the_deferred_itself() {
    let out = run(6, &[]);
    let got = lines(&out.stdout);
    assert!(got[0].starts_with("I need to cancel this deferred:"));
    assert_eq!(
        got[1..],
        [
            "Firing the deferred with a result",
            "callback got: result",
            "done"
        ]
    );
    let out = run(7, &[]);
    let got = lines(&out.stdout);
    assert!(got[0].starts_with("I need to cancel this deferred:"));
    assert_eq!(
        got[1..],
        [
            "Firing the deferred with an error",
            "errback got: [Failure Message: error!",
            "done"
        ]
    );
}

#[test]
fn a_timed_poem_arrives_when_nobody_cancels() {
    let out = run(9, &["--virtual-clock"]);
    assert_eq!(
        lines(&out.stdout),
        ["Sending poem", "I got a poem: Once upon a midnight dreary"]
    );
}

#[test]
fn a_cancel_without_a_canceller_does_not_stop_the_timed_call() {
    let out = run(10, &["--virtual-clock"]);
    assert_eq!(
        lines(&out.stdout),
        [
            format!("get_poem failed: {CANCELLED}"),
            "Sending poem".to_string()
        ]
    );
}

#[test]
fn a_canceller_that_cancels_the_timed_call_stops_the_poem() {
    let out = run(11, &["--virtual-clock"]);
    assert_eq!(
        lines(&out.stdout),
        [format!("get_poem failed: {CANCELLED}")]
    );
}

#[test]
fn cancelling_the_outer_deferred_cancels_the_inner_one() {
    let out = run(12, &[]);
    assert_eq!(
        lines(&out.stdout),
        [
            "first outer callback, returning inner deferred".to_string(),
            "canceling outer deferred.".to_string(),
            "inner cancel callback.".to_string(),
            format!("outer errback got: {CANCELLED}"),
            "done".to_string(),
        ]
    );
}
