//! The Deferred on the reactor: a time limit for any deferred, and a
//! deferred as a [`Completion`] the reactor can wait for.
//!
//! The series sets this as part 8's exercise, and Twisted later made it a
//! method, `Deferred.addTimeout`. [`Deferred::add_timeout`] starts a timed
//! call and the deferred racing. If the deferred fires first, it cancels
//! the timer on its way down the chain. If the timer goes off first, it
//! cancels the deferred, whose canceller gives up the work (for a download,
//! it closes the connection), and the failure the deferred then carries, a
//! `CancelledError`, is replaced by [`TimedOut`], which says what really
//! happened. Either way the loser is cancelled, and the callbacks after it
//! see exactly one outcome.
//!
//! A deferred is also part 3's [`Completion`]: something that finishes
//! later with an outcome. So [`Reactor::run_until`] runs a reactor until a
//! deferred fires and returns its result or failure, and a "before"
//! shutdown trigger may return a deferred that the reactor waits for
//! before it stops (a service saying goodbye to its clients, part 16).
//!
//! These are the pieces of part 7 that need a reactor: the Deferred itself
//! only runs callbacks when it is fired.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{Completion, Reactor};

use crate::{CancelledError, Deferred, Failure};

/// The error of a deferred that was given up on because it took too long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("timed out after {:.3}s", .0.as_secs_f64())]
pub struct TimedOut(pub Duration);

// ANCHOR: add_timeout
impl<T: 'static> Deferred<T> {
    /// Races this deferred against a timer of `limit` on `reactor`, and
    /// returns the same chain, which now fails with [`TimedOut`] if the
    /// timer wins. The loser is cancelled: the timer when the deferred
    /// fires in time, the deferred (and so whatever work its canceller
    /// stops) when it does not.
    pub fn add_timeout(self, reactor: &Reactor, limit: Duration) -> Deferred<T> {
        let timed_out = Rc::new(Cell::new(false));
        let (flag, work) = (Rc::clone(&timed_out), self.cancel_handle());
        let timer = reactor.call_later(limit, move || {
            flag.set(true);
            work.cancel();
        });
        self.add_both(move |outcome: Result<T, Failure>| {
            if !timed_out.get() {
                // The deferred won (or someone else cancelled it): the
                // timer has nothing left to do.
                let _ = timer.cancel();
                return outcome;
            }
            // The timer won: the cancellation it caused is our time-out.
            outcome.map_err(|failure| match failure.trap::<CancelledError>() {
                Ok(_) => Failure::new(TimedOut(limit)),
                Err(other) => other,
            })
        })
    }
}
// ANCHOR_END: add_timeout

/// A deferred completes when it fires: with its result, or its failure
/// (which is then handled, by whoever waited).
impl<T: 'static> Completion for Deferred<T> {
    type Output = Result<T, Failure>;

    fn when_complete(self, done: Box<dyn FnOnce(Result<T, Failure>)>) {
        let _ = self.add_both(move |outcome: Result<T, Failure>| done(outcome));
    }
}
