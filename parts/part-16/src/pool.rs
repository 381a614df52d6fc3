//! A pool of outstanding deferreds, and a deferred that fires when the
//! pool empties: what a graceful stop waits for.
//!
//! A server that is asked to stop has work in flight: a download half
//! sent, a reply not yet written. Stopping the reactor at once would cut
//! those clients off. The pool keeps count of that work without owning it:
//! [`DeferredPool::add`] puts one step on a deferred's chain, on both the
//! callback and the errback side, that takes the deferred out of the pool
//! when it fires and hands its outcome on untouched, so the step is
//! invisible to the code that fires the deferred and to every callback.
//!
//! [`DeferredPool::notify_when_empty`] returns a deferred that fires once
//! nothing is outstanding. A service's stop stops taking new work and
//! returns that deferred (with a deadline, [`DeferredPool::wait_empty`]):
//! the runner keeps the reactor going until it fires.
//!
//! The pool does not close when it empties: work may be added again, and a
//! new waiter waits for the next time the count reaches zero.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Deferred, Failure, Trigger, deferred, succeed};

// ANCHOR: pool
/// Counts deferreds that have not fired yet, and tells waiters when none
/// is left. Cheap to clone; every clone is the same pool.
#[derive(Clone, Default)]
pub struct DeferredPool(Rc<RefCell<Pool>>);

#[derive(Default)]
struct Pool {
    outstanding: usize,
    waiting: Vec<Trigger<()>>,
}

impl DeferredPool {
    /// An empty pool.
    pub fn new() -> DeferredPool {
        DeferredPool::default()
    }

    /// Puts `work` in the pool until it fires, either way, and returns
    /// the same chain: the step added passes the outcome on unchanged.
    pub fn add<T: 'static>(&self, work: Deferred<T>) -> Deferred<T> {
        self.0.borrow_mut().outstanding += 1;
        let pool = self.clone();
        work.add_both(move |outcome: Result<T, Failure>| {
            pool.fired();
            outcome
        })
    }

    /// A deferred that fires (with `()`) when nothing is outstanding: at
    /// once if the pool is empty now.
    pub fn notify_when_empty(&self) -> Deferred<()> {
        if self.is_empty() {
            return succeed(());
        }
        let (waiter, trigger) = deferred();
        let mut pool = self.0.borrow_mut();
        // Waiters given up on (cancelled, timed out) have fired already:
        // forget them, so that a busy pool asked again and again keeps
        // only the waiters still waiting.
        pool.waiting.retain(|waiting| !waiting.is_called());
        pool.waiting.push(trigger);
        waiter
    }

    /// One outstanding deferred fired: if it was the last, every waiter
    /// fires, outside the borrow (their callbacks may add work again).
    fn fired(&self) {
        let waiting = {
            let mut pool = self.0.borrow_mut();
            pool.outstanding -= 1;
            if pool.outstanding > 0 {
                return;
            }
            std::mem::take(&mut pool.waiting)
        };
        for waiter in waiting {
            // A waiter given up on (cancelled, timed out) ignores this.
            let _ = waiter.callback(());
        }
    }
}
// ANCHOR_END: pool

impl DeferredPool {
    /// How many deferreds are outstanding.
    pub fn len(&self) -> usize {
        self.0.borrow().outstanding
    }

    /// Whether nothing is outstanding.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`notify_when_empty`](DeferredPool::notify_when_empty) with a
    /// deadline on `reactor`: fails with part 7's
    /// [`TimedOut`](part_07::TimedOut) if the pool has not emptied within
    /// `limit`. The work itself is left alone; only the wait ends.
    pub fn wait_empty(&self, reactor: &Reactor, limit: Duration) -> Deferred<()> {
        self.notify_when_empty().add_timeout(reactor, limit)
    }
}

impl fmt::Debug for DeferredPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pool = self.0.borrow();
        f.debug_struct("DeferredPool")
            .field("outstanding", &pool.outstanding)
            .field("waiting", &pool.waiting.len())
            .finish()
    }
}
