//! The virtual clock as the chapter shows it: timing behaviour tested
//! exactly, with no real waiting. A five-second countdown runs in
//! microseconds, and a test can move time by hand.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_03::{BackendKind, Reactor, VirtualClock};

// ANCHOR: virtual_countdown
#[test]
fn a_five_second_countdown_takes_no_real_time() {
    let clock = VirtualClock::new();
    let reactor = Reactor::with(BackendKind::Mio, clock.clone()).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    for n in (1..=5u64).rev() {
        let (seen, handle) = (Rc::clone(&seen), reactor.clone());
        reactor.call_later(Duration::from_secs(5 - n), move || {
            seen.borrow_mut().push((n, handle.now().as_secs()));
        });
    }
    let handle = reactor.clone();
    reactor.call_later(Duration::from_secs(5), move || handle.stop());

    let started = Instant::now();
    reactor.run().unwrap();
    assert_eq!(*seen.borrow(), [(5, 0), (4, 1), (3, 2), (2, 3), (1, 4)]);
    assert_eq!(clock.now(), Duration::from_secs(5));
    assert!(started.elapsed() < Duration::from_millis(500));
}
// ANCHOR_END: virtual_countdown

// ANCHOR: advance_by_hand
#[test]
fn a_call_runs_when_its_time_comes_and_not_a_moment_before() {
    let reactor = Reactor::with(BackendKind::Poll, VirtualClock::new()).unwrap();
    let ran = Rc::new(RefCell::new(false));
    let flag = Rc::clone(&ran);
    reactor.call_later(Duration::from_secs(10), move || *flag.borrow_mut() = true);

    reactor.advance(Duration::from_millis(9_999)).unwrap();
    assert!(!*ran.borrow(), "one millisecond early");
    reactor.advance(Duration::from_millis(1)).unwrap();
    assert!(*ran.borrow(), "due now");
}
// ANCHOR_END: advance_by_hand
