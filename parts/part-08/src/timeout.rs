//! A time limit for any deferred: race it against a timer.
//!
//! This is the series' exercise for part 8, solved with the pieces we
//! have: a timed call on the reactor and a deferred that can be cancelled.
//! [`with_timeout`] starts both racing. If the deferred fires first, it
//! cancels the timer on its way down the chain. If the timer goes off
//! first, it cancels the deferred, whose canceller gives up the work (for
//! a download, it closes the connection), and the failure the deferred
//! then carries, a `CancelledError`, is replaced by [`TimedOut`], which
//! says what really happened. Either way the loser is cancelled, and the
//! callbacks after it see exactly one outcome.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use part_02::format_duration;
use part_03::Reactor;
use part_07::{CancelledError, Deferred, Failure};

/// The error of a deferred that was given up on because it took too long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("timed out after {}", format_duration(*.0))]
pub struct TimedOut(pub Duration);

// ANCHOR: with_timeout
/// Races `deferred` against a timer of `limit` on `reactor`, and returns
/// the same chain, which now fails with [`TimedOut`] if the timer wins.
/// The loser is cancelled: the timer when the deferred fires in time, the
/// deferred (and so whatever work its canceller stops) when it does not.
pub fn with_timeout<T: 'static>(
    reactor: &Reactor,
    deferred: Deferred<T>,
    limit: Duration,
) -> Deferred<T> {
    let timed_out = Rc::new(Cell::new(false));
    let (flag, work) = (Rc::clone(&timed_out), deferred.cancel_handle());
    let timer = reactor.call_later(limit, move || {
        flag.set(true);
        work.cancel();
    });
    deferred.add_both(move |outcome: Result<T, Failure>| {
        if !timed_out.get() {
            // The deferred won (or someone else cancelled it): the timer
            // has nothing left to do.
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
// ANCHOR_END: with_timeout
