//! The first success's rules, and its tokio twin's.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{CancelledError, Deferred, Failure, Trigger, succeed};
use part_19::first_success::{AllFailed, first_success};
use part_19::pretend::{Log, slow};
use part_19::tokio_first_success::first_ok;

mod support;
use support::{DropFlag, count_unhandled, paused_runtime, watch};

/// Attempts, their triggers, and how often each was cancelled.
type Attempts = (Vec<Deferred<u32>>, Vec<Trigger<u32>>, Vec<Rc<Cell<u32>>>);

/// `n` attempts, their triggers, and how often each was cancelled.
fn attempts(n: usize) -> Attempts {
    let mut deferreds = Vec::new();
    let mut triggers = Vec::new();
    let mut cancels = Vec::new();
    for _ in 0..n {
        let count = Rc::new(Cell::new(0));
        let counted = Rc::clone(&count);
        let (d, t) =
            Deferred::with_canceller(move |_: &Trigger<u32>| counted.set(counted.get() + 1));
        deferreds.push(d);
        triggers.push(t);
        cancels.push(count);
    }
    (deferreds, triggers, cancels)
}

fn counts(cancels: &[Rc<Cell<u32>>]) -> Vec<u32> {
    cancels.iter().map(|c| c.get()).collect()
}

#[test]
fn the_first_value_wins_and_the_others_are_cancelled() {
    let (_guard, reported) = count_unhandled();
    let (deferreds, triggers, cancels) = attempts(3);
    let seen = watch(first_success(deferreds));
    triggers[1].callback(20).unwrap();
    assert_eq!(seen.borrow().as_ref().unwrap().as_ref().ok(), Some(&20));
    assert_eq!(counts(&cancels), [1, 0, 1], "the winner is not cancelled");
    assert!(triggers[0].is_called() && triggers[2].is_called());
    assert_eq!(reported.get(), 0, "the losers' CancelledErrors are handled");
}

#[test]
fn a_failure_decides_nothing_while_another_attempt_runs() {
    let (deferreds, triggers, cancels) = attempts(3);
    let seen = watch(first_success(deferreds));
    triggers[0].errback(Failure::msg("miss")).unwrap();
    triggers[2].errback(Failure::msg("down")).unwrap();
    assert!(seen.borrow().is_none(), "attempt 1 is still running");
    triggers[1].callback(5).unwrap();
    assert_eq!(seen.borrow().as_ref().unwrap().as_ref().ok(), Some(&5));
    assert_eq!(counts(&cancels), [0, 0, 0], "nothing left to cancel");
}

#[test]
fn when_every_attempt_fails_all_failures_come_in_the_order_given() {
    let (_guard, reported) = count_unhandled();
    let (deferreds, triggers, _) = attempts(3);
    let seen = watch(first_success(deferreds));
    for (i, name) in [(2, "c"), (0, "a"), (1, "b")] {
        triggers[i].errback(Failure::msg(name)).unwrap();
    }
    let failure = seen.borrow_mut().take().unwrap().unwrap_err();
    let all = failure.downcast_ref::<AllFailed>().expect("AllFailed");
    let messages: Vec<String> = all.failures.iter().map(Failure::message).collect();
    assert_eq!(messages, ["a", "b", "c"]);
    assert_eq!(failure.message(), "all 3 attempts failed: a; b; c");
    assert_eq!(reported.get(), 0, "the attempts' failures are consumed");
}

#[test]
fn a_single_failed_attempt_is_named_as_the_only_one() {
    let (deferreds, triggers, _) = attempts(1);
    let seen = watch(first_success(deferreds));
    triggers[0].errback(Failure::msg("down")).unwrap();
    let failure = seen.borrow_mut().take().unwrap().unwrap_err();
    assert_eq!(failure.message(), "the only attempt failed: down");
}

#[test]
fn cancelling_the_whole_cancels_every_attempt_still_running() {
    let (_guard, reported) = count_unhandled();
    let (deferreds, triggers, cancels) = attempts(3);
    let first = first_success(deferreds);
    let handle = first.cancel_handle();
    let seen = watch(first);
    triggers[0].errback(Failure::msg("miss")).unwrap();
    handle.cancel();
    assert_eq!(counts(&cancels), [0, 1, 1], "attempt 0 had ended already");
    let failure = seen.borrow_mut().take().unwrap().unwrap_err();
    assert!(failure.check::<CancelledError>(), "{failure}");
    drop(failure);
    assert_eq!(reported.get(), 0);
    handle.cancel();
    assert_eq!(counts(&cancels), [0, 1, 1], "a second cancel does nothing");
}

#[test]
fn a_cancel_after_the_success_changes_nothing() {
    let (deferreds, triggers, cancels) = attempts(2);
    let first = first_success(deferreds);
    let handle = first.cancel_handle();
    let seen = watch(first);
    triggers[0].callback(1).unwrap();
    handle.cancel();
    assert_eq!(seen.borrow().as_ref().unwrap().as_ref().ok(), Some(&1));
    assert_eq!(counts(&cancels), [0, 1]);
}

#[test]
fn an_attempt_that_has_succeeded_already_wins_at_once() {
    let (mut deferreds, _triggers, cancels) = attempts(2);
    deferreds.insert(1, succeed(9));
    let seen = watch(first_success(deferreds));
    assert_eq!(seen.borrow().as_ref().unwrap().as_ref().ok(), Some(&9));
    assert_eq!(counts(&cancels), [1, 1]);
}

#[test]
fn no_attempts_fail_at_once_with_no_failures() {
    let seen = watch(first_success::<u32>(Vec::new()));
    let failure = seen.borrow_mut().take().unwrap().unwrap_err();
    assert!(
        failure
            .downcast_ref::<AllFailed>()
            .unwrap()
            .failures
            .is_empty()
    );
}

#[test]
fn on_a_virtual_clock_the_result_comes_at_the_fastest_successs_time() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap();
    let log = Log::quiet(&reactor);
    let secs = Duration::from_secs;
    let first = first_success(vec![
        slow(&log, "cache", secs(1), Err(Failure::msg("miss"))),
        slow(&log, "far", secs(9), Ok("far")),
        slow(&log, "near", secs(3), Ok("near")),
    ]);
    assert_eq!(reactor.run_until(first).unwrap().unwrap(), "near");
    assert_eq!(reactor.now(), secs(3));
    assert_eq!(
        log.lines(),
        [
            "1.0 s  cache: fails",
            "3.0 s  near: done",
            "3.0 s  far: stopped"
        ]
    );
    assert!(
        reactor.pending_calls().iter().all(|call| !call.active()),
        "far's timer is gone"
    );
}

// ---- tokio ----

/// A future that ends with `outcome` after `secs`, counting its drops.
async fn way(
    secs: u64,
    outcome: Result<&'static str, &'static str>,
    drops: Rc<Cell<u32>>,
) -> Result<&'static str, &'static str> {
    let _flag = DropFlag(drops);
    tokio::time::sleep(Duration::from_secs(secs)).await;
    outcome
}

#[test]
fn on_tokio_the_first_ok_wins_and_the_rest_are_dropped() {
    let drops = Rc::new(Cell::new(0));
    let d = Rc::clone(&drops);
    let (outcome, at) = paused_runtime().block_on(async move {
        let start = tokio::time::Instant::now();
        let outcome = first_ok([
            way(1, Err("miss"), Rc::clone(&d)),
            way(9, Ok("far"), Rc::clone(&d)),
            way(3, Ok("near"), Rc::clone(&d)),
        ])
        .await;
        (outcome, start.elapsed())
    });
    assert_eq!(outcome, Ok("near"));
    assert_eq!(at, Duration::from_secs(3));
    assert_eq!(drops.get(), 3, "every way ended or was dropped");
}

#[test]
fn on_tokio_every_error_comes_back_in_the_order_given_where_select_ok_keeps_the_last() {
    let drops = Rc::new(Cell::new(0));
    let d = Rc::clone(&drops);
    let (ours, theirs) = paused_runtime().block_on(async move {
        let ours = first_ok([
            way(3, Err("a"), Rc::clone(&d)),
            way(1, Err("b"), Rc::clone(&d)),
            way(2, Err("c"), Rc::clone(&d)),
        ])
        .await;
        let theirs = futures::future::select_ok([
            Box::pin(way(3, Err("a"), Rc::clone(&d))),
            Box::pin(way(1, Err("b"), Rc::clone(&d))),
            Box::pin(way(2, Err("c"), Rc::clone(&d))),
        ])
        .await
        .map(|(value, _rest)| value);
        (ours, theirs)
    });
    assert_eq!(ours, Err(vec!["a", "b", "c"]));
    assert_eq!(theirs, Err("a"), "select_ok: only the last to fail");
}

#[test]
fn a_cancel_answered_by_an_attempts_canceller_gives_that_value() {
    let (deferreds, _triggers, _) = attempts(1);
    let (answering, _t) = Deferred::with_canceller(|trigger: &Trigger<u32>| {
        let _ = trigger.callback(77);
    });
    let mut all = deferreds;
    all.push(answering);
    let first = first_success(all);
    let handle = first.cancel_handle();
    let seen = watch(first);
    handle.cancel();
    assert_eq!(seen.borrow().as_ref().unwrap().as_ref().ok(), Some(&77));
}

#[test]
fn a_losers_canceller_that_answers_does_not_change_the_result() {
    let (answering, _t) = Deferred::with_canceller(|trigger: &Trigger<u32>| {
        let _ = trigger.callback(77);
    });
    let (winner, trigger) = part_07::deferred::<u32>();
    let seen = watch(first_success(vec![answering, winner]));
    trigger.callback(1).unwrap();
    assert_eq!(seen.borrow().as_ref().unwrap().as_ref().ok(), Some(&1));
}
