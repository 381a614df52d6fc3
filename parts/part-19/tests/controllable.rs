//! The controllable deferred's rules, and its tokio twin's.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use part_07::{CancelledError, Deferred, Failure, Trigger, deferred};
use part_19::controllable::take_control;
use part_19::tokio_controllable;

mod support;
use support::{DropFlag, count_unhandled, failure, paused_runtime, value, watch};

/// An original deferred whose canceller counts its calls and, if `answer`
/// is given, fires the original with it.
fn original(answer: Option<u32>) -> (Deferred<u32>, Trigger<u32>, Rc<Cell<u32>>) {
    let cancels = Rc::new(Cell::new(0));
    let counted = Rc::clone(&cancels);
    let (d, trigger) = Deferred::with_canceller(move |trigger: &Trigger<u32>| {
        counted.set(counted.get() + 1);
        if let Some(answer) = answer {
            let _ = trigger.callback(answer);
        }
    });
    (d, trigger, cancels)
}

#[test]
fn the_originals_value_comes_through_and_the_control_is_then_too_late() {
    let (original, trigger, cancels) = original(None);
    let (ours, control) = take_control(original);
    let seen = watch(ours);
    assert!(!control.is_called());
    trigger.callback(7).unwrap();
    assert_eq!(value(&seen), Some(7));
    assert!(control.is_called());
    assert!(control.callback(8).is_err(), "AlreadyCalled");
    assert!(control.errback(Failure::msg("late")).is_err());
    control.cancel();
    assert_eq!(value(&seen), Some(7), "nothing changed it");
    assert_eq!(
        cancels.get(),
        0,
        "nothing to cancel: the original had fired"
    );
}

#[test]
fn the_originals_failure_comes_through_unchanged() {
    let (original, trigger, _) = original(None);
    let (ours, _control) = take_control(original);
    let seen = watch(ours);
    trigger.errback(Failure::msg("the lookup broke")).unwrap();
    assert_eq!(failure(&seen).unwrap().message(), "the lookup broke");
}

#[test]
fn firing_the_control_fires_ours_and_cancels_the_original() {
    let (_unhandled, reported) = count_unhandled();
    let (original, trigger, cancels) = original(None);
    let (ours, control) = take_control(original);
    let seen = watch(ours);
    control.callback(3).unwrap();
    assert_eq!(value(&seen), Some(3));
    assert_eq!(cancels.get(), 1);
    assert!(
        trigger.is_called(),
        "the original failed with CancelledError"
    );
    assert!(control.callback(4).is_err(), "fired once only");
    assert_eq!(value(&seen), Some(3));
    assert_eq!(
        reported.get(),
        0,
        "the original's CancelledError is handled"
    );
}

#[test]
fn a_late_outcome_of_an_original_without_canceller_is_dropped_quietly() {
    let (_unhandled, reported) = count_unhandled();
    let (original, trigger) = deferred::<u32>();
    let (ours, control) = take_control(original);
    let seen = watch(ours);
    control.callback(3).unwrap();
    // The producer never heard of the cancel and fires anyway: forgiven.
    trigger.callback(9).unwrap();
    assert_eq!(value(&seen), Some(3));
    assert_eq!(reported.get(), 0);
}

#[test]
fn failing_the_control_fails_ours_and_cancels_the_original() {
    let (original, _trigger, cancels) = original(None);
    let (ours, control) = take_control(original);
    let seen = watch(ours);
    control.errback(Failure::msg("the user gave up")).unwrap();
    assert_eq!(failure(&seen).unwrap().message(), "the user gave up");
    assert_eq!(cancels.get(), 1);
}

#[test]
fn the_value_given_wins_over_an_original_whose_canceller_answers() {
    let (original, _trigger, cancels) = original(Some(99));
    let (ours, control) = take_control(original);
    let seen = watch(ours);
    control.callback(1).unwrap();
    assert_eq!(cancels.get(), 1);
    assert_eq!(
        value(&seen),
        Some(1),
        "ours fired before the original was cancelled"
    );
}

#[test]
fn cancelling_the_control_cancels_the_original_and_ours_gets_what_it_gets() {
    let (original, _trigger, cancels) = original(None);
    let (ours, control) = take_control(original);
    let seen = watch(ours);
    control.cancel();
    assert_eq!(cancels.get(), 1);
    assert!(failure(&seen).unwrap().check::<CancelledError>());
    assert!(control.callback(5).is_err());

    // An original whose canceller answers passes that answer on.
    let (original, _trigger, _) = original_answering(42);
    let (ours, control) = take_control(original);
    let seen = watch(ours);
    control.cancel();
    assert_eq!(value(&seen), Some(42));
}

fn original_answering(answer: u32) -> (Deferred<u32>, Trigger<u32>, Rc<Cell<u32>>) {
    original(Some(answer))
}

#[test]
fn cancelling_our_deferred_itself_cancels_the_original_too() {
    let (original, _trigger, cancels) = original(None);
    let (ours, control) = take_control(original);
    let handle = ours.cancel_handle();
    let seen = watch(ours);
    handle.cancel();
    assert_eq!(cancels.get(), 1);
    assert!(failure(&seen).unwrap().check::<CancelledError>());
    assert!(control.is_called());
}

#[test]
fn clones_of_a_control_control_one_deferred() {
    let (original, _trigger, cancels) = original(None);
    let (ours, control) = take_control(original);
    let other = control.clone();
    let seen = watch(ours);
    other.callback(2).unwrap();
    assert!(control.callback(3).is_err());
    assert_eq!(value(&seen), Some(2));
    assert_eq!(cancels.get(), 1);
}

// ---- tokio ----

/// A future that ends with `value` after `secs`, and says when dropped.
fn slow_future(
    secs: u64,
    value: &'static str,
    dropped: &Rc<Cell<u32>>,
) -> impl Future<Output = &'static str> {
    let flag = DropFlag(Rc::clone(dropped));
    async move {
        let _flag = flag;
        tokio::time::sleep(Duration::from_secs(secs)).await;
        value
    }
}

#[test]
fn on_tokio_the_control_wins_and_the_original_is_dropped() {
    let dropped = Rc::new(Cell::new(0));
    let flag = Rc::clone(&dropped);
    let (output, at) = paused_runtime().block_on(async move {
        let start = tokio::time::Instant::now();
        let (controlled, control) =
            tokio_controllable::take_control(slow_future(5, "fresh", &flag));
        let meddler = async move {
            tokio::time::sleep(Duration::from_secs(2)).await;
            control.fire("cached").unwrap();
        };
        let (output, ()) = tokio::join!(controlled, meddler);
        (output, start.elapsed())
    });
    assert_eq!(output, "cached");
    assert_eq!(at, Duration::from_secs(2));
    assert_eq!(dropped.get(), 1);
}

#[test]
fn on_tokio_the_original_wins_and_the_control_gets_its_value_back() {
    let dropped = Rc::new(Cell::new(0));
    let flag = Rc::clone(&dropped);
    let (output, late) = paused_runtime().block_on(async move {
        let (controlled, control) =
            tokio_controllable::take_control(slow_future(1, "fresh", &flag));
        let output = controlled.await;
        (output, control.fire("cached"))
    });
    assert_eq!(output, "fresh");
    assert_eq!(late, Err("cached"));
}

#[test]
fn on_tokio_a_control_dropped_unused_leaves_the_original_to_finish() {
    let dropped = Rc::new(Cell::new(0));
    let flag = Rc::clone(&dropped);
    let output = paused_runtime().block_on(async move {
        let (controlled, control) =
            tokio_controllable::take_control(slow_future(1, "fresh", &flag));
        drop(control);
        controlled.await
    });
    assert_eq!(output, "fresh");
}

#[test]
fn on_tokio_dropping_the_controlled_future_drops_the_original() {
    let dropped = Rc::new(Cell::new(0));
    let flag = Rc::clone(&dropped);
    let gave_up = paused_runtime().block_on(async move {
        let (controlled, _control) =
            tokio_controllable::take_control(slow_future(5, "fresh", &flag));
        tokio::time::timeout(Duration::from_secs(1), controlled)
            .await
            .is_err()
    });
    assert!(gave_up);
    assert_eq!(dropped.get(), 1);
}

#[test]
fn on_tokio_a_value_sent_before_the_next_poll_wins_even_over_a_ready_original() {
    paused_runtime().block_on(async {
        for _ in 0..32 {
            let (controlled, control) = tokio_controllable::take_control(async { "fresh" });
            control.fire("cached").unwrap();
            assert_eq!(controlled.await, "cached", "the value sent is first");
        }
    });
}
