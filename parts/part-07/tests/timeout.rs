//! `Deferred::add_timeout` on part 3's virtual clock: a deferred in time
//! goes through untouched and the timer is cancelled; a late one is
//! cancelled and fails with `TimedOut`; a cancellation from elsewhere is
//! left as it is.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{CancelledError, Deferred, Failure, TimedOut};

/// A deferred that a timer fires with `value` after `after`, and whose
/// canceller cancels that timer and counts the cancellations.
fn timed_value(reactor: &Reactor, after: Duration, cancelled: &Rc<Cell<u32>>) -> Deferred<u32> {
    let producer = Rc::new(RefCell::new(None));
    let (stop, count) = (Rc::clone(&producer), Rc::clone(cancelled));
    let (deferred, trigger) = Deferred::with_canceller(move |_| {
        count.set(count.get() + 1);
        if let Some(timer) = stop.take() {
            let _ = part_03::DelayedCall::cancel(&timer);
        }
    });
    let timer = reactor.call_later(after, move || {
        trigger.callback(7).expect("fired once");
    });
    *producer.borrow_mut() = Some(timer);
    deferred
}

/// Records what comes out at the end of `deferred`.
fn outcome_of(deferred: Deferred<u32>) -> Rc<RefCell<Vec<Result<u32, Failure>>>> {
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let kept = Rc::clone(&outcomes);
    let _ = deferred.add_both(move |outcome: Result<u32, Failure>| kept.borrow_mut().push(outcome));
    outcomes
}

#[test]
fn add_timeout_lets_a_deferred_that_is_in_time_through() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap();
    let cancelled = Rc::new(Cell::new(0));
    let deferred = timed_value(&reactor, Duration::from_secs(1), &cancelled);
    let outcomes = outcome_of(deferred.add_timeout(&reactor, Duration::from_secs(2)));
    reactor.advance(Duration::from_millis(999)).unwrap();
    assert!(outcomes.borrow().is_empty());
    reactor.advance(Duration::from_millis(1)).unwrap();
    reactor.advance(Duration::from_secs(5)).unwrap();
    let outcomes = outcomes.take();
    assert!(matches!(outcomes[..], [Ok(7)]), "{outcomes:?}");
    assert_eq!(
        cancelled.get(),
        0,
        "the deferred won: nothing was cancelled"
    );
}

#[test]
fn add_timeout_cancels_a_deferred_that_is_late() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap();
    let cancelled = Rc::new(Cell::new(0));
    let deferred = timed_value(&reactor, Duration::from_secs(3), &cancelled);
    let outcomes = outcome_of(deferred.add_timeout(&reactor, Duration::from_secs(1)));
    reactor.advance(Duration::from_secs(1)).unwrap();
    assert_eq!(
        cancelled.get(),
        1,
        "the timer won: the deferred was cancelled"
    );
    // The producer was cancelled too: it never fires (it would panic).
    reactor.advance(Duration::from_secs(5)).unwrap();
    let outcomes = outcomes.take();
    let [Err(failure)] = &outcomes[..] else {
        panic!("{outcomes:?}");
    };
    assert_eq!(
        failure.downcast_ref::<TimedOut>(),
        Some(&TimedOut(Duration::from_secs(1)))
    );
    assert_eq!(failure.message(), "timed out after 1.000s");
}

#[test]
fn add_timeout_leaves_another_cancellation_alone() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap();
    let cancelled = Rc::new(Cell::new(0));
    let deferred = timed_value(&reactor, Duration::from_secs(3), &cancelled);
    let deferred = deferred.add_timeout(&reactor, Duration::from_secs(1));
    let cancel = deferred.cancel_handle();
    let outcomes = outcome_of(deferred);
    cancel.cancel();
    reactor.advance(Duration::from_secs(5)).unwrap();
    let outcomes = outcomes.take();
    let [Err(failure)] = &outcomes[..] else {
        panic!("{outcomes:?}");
    };
    assert!(failure.check::<CancelledError>(), "{failure}");
    assert_eq!(cancelled.get(), 1);
}
