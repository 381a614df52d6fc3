//! Part 17: a deferred you can `.await`.
//!
//! A future and a deferred are two shapes of one idea, a result that is not
//! there yet. The deferred *pushes*: whoever fires it runs the callbacks.
//! The future is *pulled*: a runtime polls it, and it hands the runtime a
//! [`Waker`] to call when polling again is worth it. Turning one into the
//! other takes a single callback: at the end of the chain, store the
//! outcome and call the waker. That is all [`DeferredFuture`] does, so
//! `deferred.await` gives the chain's outcome, `Result<T, Failure>`, and a
//! failure can be handled with `?` or `match` instead of an errback.
//!
//! A future that is dropped before it is ready is how Rust says "I no
//! longer want this". The deferred's word for that is `cancel` (part 19),
//! so dropping a [`DeferredFuture`] early cancels its deferred, and
//! whatever work its canceller stops.
//!
//! Nothing here needs a reactor or a runtime: any executor that polls
//! futures can await a deferred. Part 17 builds one on the reactor.

use std::cell::RefCell;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::{CancelHandle, Deferred, Failure};

// ANCHOR: future
/// A deferred being awaited: what `deferred.await` polls. Ready with the
/// chain's outcome; dropped before that, it cancels the deferred.
#[must_use = "a future does nothing unless it is awaited"]
pub struct DeferredFuture<T> {
    /// Where the last callback of the chain leaves the outcome.
    slot: Rc<RefCell<Slot<T>>>,
    /// The chain, to cancel if the future is dropped unfinished; `None`
    /// once the outcome has been taken.
    chain: Option<CancelHandle>,
}

/// The outcome once it arrives, and who to wake when it does.
struct Slot<T> {
    outcome: Option<Result<T, Failure>>,
    waker: Option<Waker>,
}

impl<T: 'static> IntoFuture for Deferred<T> {
    type Output = Result<T, Failure>;
    type IntoFuture = DeferredFuture<T>;

    /// Adds one last callback/errback to the chain, which stores the
    /// outcome and wakes whoever polled. (If the deferred has fired
    /// already, it runs at once, and the first poll is ready.)
    fn into_future(self) -> DeferredFuture<T> {
        let slot = Rc::new(RefCell::new(Slot {
            outcome: None,
            waker: None,
        }));
        let filler = Rc::clone(&slot);
        let end = self.add_both(move |outcome: Result<T, Failure>| {
            let waker = {
                let mut slot = filler.borrow_mut();
                slot.outcome = Some(outcome);
                slot.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        DeferredFuture {
            slot,
            chain: Some(end.cancel_handle()),
        }
    }
}

impl<T> Future for DeferredFuture<T> {
    type Output = Result<T, Failure>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T, Failure>> {
        let mut slot = self.slot.borrow_mut();
        if let Some(outcome) = slot.outcome.take() {
            drop(slot);
            self.chain = None;
            return Poll::Ready(outcome);
        }
        assert!(
            self.chain.is_some(),
            "a deferred's future was polled after it was ready"
        );
        match &mut slot.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            waker => *waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl<T> Drop for DeferredFuture<T> {
    /// Dropped before it was ready: nobody wants the outcome any more.
    fn drop(&mut self) {
        if let Some(chain) = self.chain.take() {
            // Nobody is waiting any more: the cancellation wakes nobody.
            self.slot.borrow_mut().waker = None;
            chain.cancel();
        }
    }
}
// ANCHOR_END: future

impl<T> std::fmt::Debug for DeferredFuture<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeferredFuture")
            .field("ready", &self.slot.borrow().outcome.is_some())
            .field("finished", &self.chain.is_none())
            .finish()
    }
}
