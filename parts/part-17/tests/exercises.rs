//! The solutions to the chapter's exercises, compiled here as modules and
//! checked on a virtual clock.

#[allow(dead_code)]
#[path = "../examples/part17-ex1-retry.rs"]
mod retry;

#[allow(dead_code)]
#[path = "../examples/part17-ex2-sleep.rs"]
mod sleep;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Failure, fail, succeed};
use part_17::Runtime;

fn virtual_runtime() -> Runtime {
    Runtime::new(&Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor"))
}

#[test]
fn retry_waits_longer_each_time_and_stops_at_the_first_success() {
    let rt = virtual_runtime();
    let times = Rc::new(RefCell::new(Vec::new()));
    let (inner, seen, clock) = (rt.clone(), Rc::clone(&times), rt.reactor().clone());
    let outcome = rt
        .block_on(async move {
            retry::retry(&inner, 5, Duration::from_secs(1), || {
                seen.borrow_mut().push(clock.now().as_secs());
                if seen.borrow().len() < 4 {
                    fail(Failure::msg("busy"))
                } else {
                    succeed(7)
                }
            })
            .await
        })
        .unwrap();
    assert_eq!(outcome.unwrap(), 7);
    assert_eq!(*times.borrow(), [0, 1, 3, 7], "waits of 1, 2 and 4 s");
}

#[test]
fn retry_gives_the_last_failure_after_its_tries() {
    let rt = virtual_runtime();
    let calls = Rc::new(Cell::new(0));
    let (inner, counted) = (rt.clone(), Rc::clone(&calls));
    let outcome = rt
        .block_on(async move {
            retry::retry(&inner, 3, Duration::from_secs(1), || {
                counted.set(counted.get() + 1);
                fail::<u32>(Failure::msg(format!("no {}", counted.get())))
            })
            .await
        })
        .unwrap();
    assert_eq!(outcome.unwrap_err().message(), "no 3");
    assert_eq!(calls.get(), 3);
    assert_eq!(rt.reactor().now(), Duration::from_secs(3));
}

#[test]
fn a_hand_written_sleep_wakes_at_its_deadline_and_cancels_its_timer_when_dropped() {
    let rt = virtual_runtime();
    let clock = rt.reactor().clone();
    let woke = rt
        .block_on(async move {
            sleep::sleep(&clock, Duration::from_secs(3)).await;
            clock.now()
        })
        .unwrap();
    assert_eq!(woke, Duration::from_secs(3));

    let early = sleep::sleep(rt.reactor(), Duration::from_secs(10));
    let mut early = Box::pin(early);
    let waker = futures::task::noop_waker();
    let polled = Future::poll(early.as_mut(), &mut std::task::Context::from_waker(&waker));
    assert!(polled.is_pending());
    assert_eq!(rt.reactor().pending_calls().len(), 1);
    drop(early);
    assert!(rt.reactor().pending_calls().is_empty());
}
