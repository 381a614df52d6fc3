//! A deferred as part 3's `Completion`: the reactor runs until it fires
//! (`run_until`), and a "before" shutdown trigger's deferred delays the
//! end of `run` until it fires.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Phase, Reactor, ReactorError, VirtualClock};
use part_07::{Deferred, Failure, Message, deferred, succeed};

fn virtual_reactor() -> Reactor {
    Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor")
}

/// A deferred a timer fires with `value`, `after` from now.
fn later<T: 'static>(reactor: &Reactor, after: Duration, value: T) -> Deferred<T> {
    let (d, trigger) = deferred();
    reactor.call_later(after, move || {
        trigger.callback(value).map_err(|e| e.to_string())
    });
    d
}

#[test]
fn run_until_returns_the_result_of_the_deferred() {
    let reactor = virtual_reactor();
    let d = later(&reactor, Duration::from_secs(60), "a poem");
    let outcome = reactor.run_until(d).expect("it fired");
    assert_eq!(outcome.unwrap(), "a poem");
    assert_eq!(reactor.now(), Duration::from_secs(60));
}

#[test]
fn run_until_returns_a_failure_as_a_failure() {
    let reactor = virtual_reactor();
    let (d, trigger) = deferred::<u8>();
    reactor.call_later(Duration::from_secs(1), move || {
        let _ = trigger.errback(Failure::msg("no poem"));
    });
    let failure = reactor.run_until(d).expect("it fired").unwrap_err();
    assert_eq!(failure.downcast_ref::<Message>().unwrap().0, "no poem");
}

#[test]
fn run_until_a_fired_deferred_does_not_run_the_reactor() {
    let reactor = virtual_reactor();
    let ran = Rc::new(RefCell::new(false));
    let r = Rc::clone(&ran);
    reactor.call_later(Duration::ZERO, move || *r.borrow_mut() = true);
    assert_eq!(reactor.run_until(succeed(3)).unwrap().unwrap(), 3);
    assert!(!*ran.borrow(), "nothing ran");
}

#[test]
fn after_run_until_a_fired_deferred_the_next_run_is_a_whole_run() {
    let reactor = virtual_reactor();
    assert_eq!(reactor.run_until(succeed(3)).unwrap().unwrap(), 3);
    let ticks = Rc::new(RefCell::new(0));
    for n in 1..=3 {
        let ticks = Rc::clone(&ticks);
        reactor.call_later(Duration::from_secs(n), move || *ticks.borrow_mut() += 1);
    }
    let d = later(&reactor, Duration::from_secs(5), "done");
    assert_eq!(reactor.run_until(d).unwrap().unwrap(), "done");
    assert_eq!(*ticks.borrow(), 3, "every timer before it ran");
}

#[test]
fn run_until_a_deferred_that_never_fires_ends_with_an_error() {
    let reactor = virtual_reactor();
    let (d, _trigger) = deferred::<u8>();
    assert!(matches!(
        reactor.run_until(d),
        Err(ReactorError::EndedBeforeCompletion)
    ));
}

#[test]
fn a_before_trigger_deferred_delays_the_stop_until_it_fires() {
    let reactor = virtual_reactor();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (r, l) = (reactor.clone(), Rc::clone(&log));
    reactor.add_shutdown_trigger(Phase::Before, move || {
        l.borrow_mut().push(format!("before at {:?}", r.now()));
        let l = Rc::clone(&l);
        let r2 = r.clone();
        later(&r, Duration::from_secs(5), ()).add_callback(move |()| {
            l.borrow_mut()
                .push(format!("goodbye said at {:?}", r2.now()));
        })
    });
    let (r, l) = (reactor.clone(), Rc::clone(&log));
    reactor.add_shutdown_trigger(Phase::After, move || {
        l.borrow_mut().push(format!("after at {:?}", r.now()));
    });
    let r = reactor.clone();
    reactor.call_later(Duration::from_secs(1), move || r.stop());
    reactor.run().expect("the reactor runs");
    assert_eq!(
        *log.borrow(),
        ["before at 1s", "goodbye said at 6s", "after at 6s"]
    );
}
