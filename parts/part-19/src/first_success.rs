//! The first success wins: several ways of getting one result, run at
//! once; the first to succeed gives the result and the others are
//! cancelled.
//!
//! A value can often be had more than one way: from a cache, from either
//! of two replicas, by computing it. Trying them one after another costs
//! the sum of their delays whenever the early ones fail; trying them all
//! at once costs only the delay of the fastest that succeeds. The price is
//! work thrown away, which is why the others must be *cancelled* the
//! moment a winner is known: part 18's [`DeferredList`] can find the
//! winner, but only a cancel stops the losers.
//!
//! The rules:
//!
//! - the deferred returned fires with the first value any attempt
//!   succeeds with, and every attempt still running is then cancelled;
//! - a failure on its own decides nothing; only when *every* attempt has
//!   failed does the deferred fail, with [`AllFailed`], which holds every
//!   failure in the order the attempts were given (not the order they
//!   failed in), so the caller can tell which way failed how;
//! - cancelling the deferred returned cancels every attempt still
//!   running, and it fails with `CancelledError` (unless an attempt's
//!   canceller answers with a value, which then wins as any value would).

use std::cell::Cell;
use std::rc::Rc;

use part_07::{CancelHandle, Deferred, Failure, Trigger};
use part_18::{DeferredList, ListOptions, ListResult};

/// What [`first_success`] fails with when every attempt failed: each
/// attempt's failure, in the order the attempts were given.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", describe(.failures))]
pub struct AllFailed {
    /// The failures, one per attempt, in the attempts' order.
    pub failures: Vec<Failure>,
}

fn describe(failures: &[Failure]) -> String {
    if failures.is_empty() {
        return "there was nothing to try".to_string();
    }
    let each: Vec<String> = failures.iter().map(Failure::message).collect();
    match failures.len() {
        1 => format!("the only attempt failed: {}", each[0]),
        n => format!("all {n} attempts failed: {}", each.join("; ")),
    }
}

// ANCHOR: first_success
/// Runs `attempts` at once: fires with the first value, then cancels the
/// rest; fails with [`AllFailed`] only if every attempt fails (at once,
/// with no failures, if there are no attempts). Cancelling the deferred
/// returned cancels every attempt.
pub fn first_success<T: Clone + 'static>(attempts: Vec<Deferred<T>>) -> Deferred<T> {
    let handles: Rc<[CancelHandle]> = attempts.iter().map(Deferred::cancel_handle).collect();
    let cancelling = Rc::new(Cell::new(false));
    let (ours, trigger) = Deferred::with_canceller({
        let (handles, cancelling) = (Rc::clone(&handles), Rc::clone(&cancelling));
        move |_: &Trigger<T>| {
            cancelling.set(true);
            handles.iter().for_each(CancelHandle::cancel);
        }
    });
    let options = ListOptions {
        fire_on_one_callback: true,
        consume_errors: true,
        ..ListOptions::default()
    };
    let _ = DeferredList::new(attempts, options)
        .into_deferred()
        .add_callback(move |result: ListResult<T>| match result {
            ListResult::First { value, index } => {
                let _ = trigger.callback(value);
                let losers = handles.iter().enumerate().filter(|&(i, _)| i != index);
                losers.for_each(|(_, loser)| loser.cancel());
            }
            // Every attempt failed because we cancelled them all: leave
            // ours to fail with `CancelledError`, as a cancel should.
            ListResult::All(_) if cancelling.get() => {}
            ListResult::All(outcomes) => {
                let failures = outcomes.into_iter().filter_map(Result::err).collect();
                let _ = trigger.errback(AllFailed { failures });
            }
        });
    ours
}
// ANCHOR_END: first_success
