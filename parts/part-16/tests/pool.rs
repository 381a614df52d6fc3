//! The pool of outstanding deferreds: counting, passing outcomes through,
//! waiters, emptying more than once, the deadline (virtual time), cancels,
//! and the tokio counterpart, a `TaskTracker` (paused time).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Failure, TimedOut, deferred, succeed};
use part_16::DeferredPool;

/// Records what a deferred fired with.
fn watch(d: part_07::Deferred<()>) -> Rc<RefCell<Option<Result<(), String>>>> {
    let seen = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&seen);
    let _ = d.add_both(move |outcome: Result<(), Failure>| {
        *keep.borrow_mut() = Some(outcome.map_err(|f| f.message()));
    });
    seen
}

#[test]
fn an_empty_pool_notifies_at_once() {
    let pool = DeferredPool::new();
    assert!(pool.is_empty());
    assert_eq!(*watch(pool.notify_when_empty()).borrow(), Some(Ok(())));
}

#[test]
fn the_waiter_fires_when_the_last_deferred_fires_either_way() {
    let pool = DeferredPool::new();
    let (a, fire_a) = deferred::<u32>();
    let (b, fire_b) = deferred::<u32>();
    let a = pool.add(a);
    let b = pool.add(b);
    assert_eq!(pool.len(), 2);
    let waiter = watch(pool.notify_when_empty());
    let other = watch(pool.notify_when_empty());
    fire_a.callback(1).unwrap();
    assert_eq!(pool.len(), 1);
    assert!(waiter.borrow().is_none(), "one is still outstanding");
    fire_b.errback(Failure::msg("a failed download")).unwrap();
    assert!(pool.is_empty());
    assert_eq!(*waiter.borrow(), Some(Ok(())));
    assert_eq!(*other.borrow(), Some(Ok(())), "every waiter fires");
    // The chains go on with their own outcomes: the pool is invisible.
    let got = Rc::new(RefCell::new(Vec::new()));
    let (g1, g2) = (Rc::clone(&got), Rc::clone(&got));
    let _ = a.add_callback(move |n: u32| {
        g1.borrow_mut().push(format!("a: {n}"));
    });
    let _ = b.add_errback(move |f: Failure| {
        g2.borrow_mut().push(format!("b: {}", f.message()));
        Ok(0)
    });
    assert_eq!(*got.borrow(), ["a: 1", "b: a failed download"]);
}

#[test]
fn a_deferred_fired_already_comes_and_goes_at_once() {
    let pool = DeferredPool::new();
    let d = pool.add(succeed(7));
    assert!(pool.is_empty());
    let got = Rc::new(RefCell::new(0));
    let keep = Rc::clone(&got);
    let _ = d.add_callback(move |n: i32| *keep.borrow_mut() = n);
    assert_eq!(*got.borrow(), 7);
}

#[test]
fn the_pool_can_empty_again() {
    let pool = DeferredPool::new();
    let (a, fire_a) = deferred::<()>();
    drop(pool.add(a));
    let first = watch(pool.notify_when_empty());
    fire_a.callback(()).unwrap();
    assert_eq!(*first.borrow(), Some(Ok(())));
    let (b, fire_b) = deferred::<()>();
    drop(pool.add(b));
    let second = watch(pool.notify_when_empty());
    assert!(
        second.borrow().is_none(),
        "a new waiter waits for the new work"
    );
    fire_b.callback(()).unwrap();
    assert_eq!(*second.borrow(), Some(Ok(())));
}

#[test]
fn a_waiter_may_add_work_when_it_is_told() {
    let pool = DeferredPool::new();
    let (a, fire_a) = deferred::<()>();
    drop(pool.add(a));
    let later = Rc::new(RefCell::new(None));
    let (again, keep) = (pool.clone(), Rc::clone(&later));
    let _ = pool.notify_when_empty().add_callback(move |()| {
        let (b, fire_b) = deferred::<()>();
        drop(again.add(b));
        *keep.borrow_mut() = Some(fire_b);
    });
    fire_a.callback(()).unwrap();
    assert_eq!(pool.len(), 1, "added from inside the waiter's callback");
    later.borrow_mut().take().unwrap().callback(()).unwrap();
    assert!(pool.is_empty());
}

#[test]
fn waiting_has_a_deadline_on_the_reactors_clock() {
    let clock = VirtualClock::new();
    let reactor = Reactor::with(BackendKind::Mio, clock.clone()).unwrap();
    let pool = DeferredPool::new();
    let (slow, fire_slow) = deferred::<()>();
    drop(pool.add(slow));
    let waited = watch(pool.wait_empty(&reactor, Duration::from_secs(30)));
    reactor.advance(Duration::from_secs(29)).unwrap();
    assert!(waited.borrow().is_none());
    reactor.advance(Duration::from_secs(1)).unwrap();
    let message = TimedOut(Duration::from_secs(30)).to_string();
    assert_eq!(*waited.borrow(), Some(Err(message)));
    // The work itself goes on, and leaves the pool when it is done.
    assert_eq!(pool.len(), 1);
    fire_slow.callback(()).unwrap();
    assert!(pool.is_empty());
}

#[test]
fn a_pool_that_empties_in_time_cancels_its_deadline() {
    let clock = VirtualClock::new();
    let reactor = Reactor::with(BackendKind::Mio, clock).unwrap();
    let pool = DeferredPool::new();
    let (d, fire) = deferred::<()>();
    drop(pool.add(d));
    let waited = watch(pool.wait_empty(&reactor, Duration::from_secs(30)));
    reactor.advance(Duration::from_secs(5)).unwrap();
    fire.callback(()).unwrap();
    assert_eq!(*waited.borrow(), Some(Ok(())));
    assert!(reactor.pending_calls().is_empty(), "no timer left behind");
}

#[test]
fn cancelled_work_leaves_the_pool_and_its_canceller_runs() {
    let pool = DeferredPool::new();
    let stopped = Rc::new(RefCell::new(false));
    let keep = Rc::clone(&stopped);
    let (work, _trigger) =
        part_07::Deferred::<()>::with_canceller(move |_| *keep.borrow_mut() = true);
    let work = pool.add(work);
    let waiter = watch(pool.notify_when_empty());
    work.cancel();
    assert!(*stopped.borrow(), "the work's own canceller ran");
    assert!(pool.is_empty(), "a cancelled deferred has fired: it leaves");
    assert_eq!(*waiter.borrow(), Some(Ok(())));
    // The cancel reached the chain after the pool's step, untouched.
    let seen = watch(work.add_callback(|()| Ok(())));
    assert_eq!(
        *seen.borrow(),
        Some(Err(part_07::CancelledError.to_string()))
    );
}

#[test]
fn a_waiter_that_gives_up_leaves_the_others_and_the_work_alone() {
    let pool = DeferredPool::new();
    let (work, fire) = deferred::<()>();
    drop(pool.add(work));
    let quitter = pool.notify_when_empty();
    quitter.cancel();
    let quitter = watch(quitter);
    let stayer = watch(pool.notify_when_empty());
    assert_eq!(
        pool.len(),
        1,
        "giving up on the wait does not touch the work"
    );
    fire.callback(()).unwrap();
    assert_eq!(
        *quitter.borrow(),
        Some(Err(part_07::CancelledError.to_string()))
    );
    assert_eq!(*stayer.borrow(), Some(Ok(())));
}

#[test]
fn waiters_given_up_on_are_not_kept_while_the_pool_stays_busy() {
    let pool = DeferredPool::new();
    let (work, fire) = deferred::<()>();
    drop(pool.add(work));
    // A server asking "empty yet?" with a short deadline, again and again.
    for _ in 0..1000 {
        pool.notify_when_empty().cancel();
    }
    let stayer = watch(pool.notify_when_empty());
    assert!(
        format!("{pool:?}").contains("waiting: 1"),
        "only the waiter still waiting is kept: {pool:?}"
    );
    fire.callback(()).unwrap();
    assert_eq!(*stayer.borrow(), Some(Ok(())));
}

/// The tokio counterpart: a `TaskTracker` counts tasks from spawn to end,
/// and `wait` returns once it is closed and none is left.
#[tokio::test(start_paused = true)]
async fn on_tokio_a_task_tracker_waits_for_the_tasks_in_flight() {
    use tokio_util::task::TaskTracker;
    let tracker = TaskTracker::new();
    for secs in [1, 3, 2] {
        tracker.spawn(tokio::time::sleep(Duration::from_secs(secs)));
    }
    assert_eq!(tracker.len(), 3);
    // `wait` returns only once the tracker is closed, even with no task left.
    tracker.close();
    let start = tokio::time::Instant::now();
    tracker.wait().await;
    assert_eq!(start.elapsed(), Duration::from_secs(3), "the longest task");
    assert!(tracker.is_empty());
    // Reopened, it tracks new work; a deadline is `timeout`.
    tracker.reopen();
    tracker.spawn(tokio::time::sleep(Duration::from_secs(60)));
    tracker.close();
    let waited = tokio::time::timeout(Duration::from_secs(10), tracker.wait()).await;
    assert!(waited.is_err(), "the deadline passed first");
    assert_eq!(tracker.len(), 1, "the task itself goes on");
}
