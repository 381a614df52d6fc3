//! Stopping in phases, running until something completes, and the list of
//! timed calls still to come, on both backends and a virtual clock: a
//! "before" trigger's completion keeps the loop running until it
//! completes; the phases run in order, each in the order added, once; a
//! panicking trigger does not stop the shutdown; `run_until` returns an
//! outcome, or says the run ended first.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_03::{
    BackendKind, CancelError, Completion, FailedCall, Phase, Reactor, ReactorError, VirtualClock,
};

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A completion the test completes by hand: the smallest thing that
/// "finishes later". (Part 7's `Deferred` is the real one.)
struct Later<T>(Rc<RefCell<LaterState<T>>>);

struct LaterState<T> {
    outcome: Option<T>,
    done: Option<Box<dyn FnOnce(T)>>,
}

impl<T> Clone for Later<T> {
    fn clone(&self) -> Self {
        Later(Rc::clone(&self.0))
    }
}

impl<T: 'static> Later<T> {
    fn new() -> Later<T> {
        Later(Rc::new(RefCell::new(LaterState {
            outcome: None,
            done: None,
        })))
    }

    fn complete(&self, outcome: T) {
        let done = self.0.borrow_mut().done.take();
        match done {
            Some(done) => done(outcome),
            None => self.0.borrow_mut().outcome = Some(outcome),
        }
    }
}

impl<T: 'static> Completion for Later<T> {
    type Output = T;

    fn when_complete(self, done: Box<dyn FnOnce(T)>) {
        let outcome = self.0.borrow_mut().outcome.take();
        match outcome {
            Some(outcome) => done(outcome),
            None => self.0.borrow_mut().done = Some(done),
        }
    }
}

type Log = Rc<RefCell<Vec<String>>>;

/// A reactor on a virtual clock, and a log its callbacks write to, each
/// line stamped with the virtual time in seconds.
fn virtual_reactor(backend: BackendKind) -> (Reactor, Log) {
    let reactor = Reactor::with(backend, VirtualClock::new()).unwrap();
    (reactor, Log::default())
}

fn noter(reactor: &Reactor, log: &Log, what: &'static str) -> impl FnOnce() + 'static {
    let (reactor, log) = (reactor.clone(), Rc::clone(log));
    move || {
        let at = reactor.now().as_secs();
        log.borrow_mut().push(format!("{what}@{at}"));
    }
}

fn stop_at(reactor: &Reactor, log: &Log, at: u64) {
    let (r, note) = (reactor.clone(), noter(reactor, log, "stop"));
    reactor.call_later(secs(at), move || {
        note();
        r.stop()
    });
}

#[test]
fn a_before_triggers_completion_delays_the_end_of_the_run_until_it_completes() {
    for backend in BackendKind::ALL {
        let (reactor, log) = virtual_reactor(backend);
        let (r, l) = (reactor.clone(), Rc::clone(&log));
        reactor.add_shutdown_trigger(Phase::Before, move || {
            noter(&r, &l, "before")();
            let goodbye = Later::new();
            let (said, note) = (goodbye.clone(), noter(&r, &l, "goodbye said"));
            r.call_later(secs(9), move || {
                note();
                said.complete(());
            });
            goodbye
        });
        reactor.add_shutdown_trigger(Phase::During, noter(&reactor, &log, "during"));
        reactor.add_shutdown_trigger(Phase::After, noter(&reactor, &log, "after"));
        stop_at(&reactor, &log, 1);
        let tick = noter(&reactor, &log, "timers still run");
        reactor.call_later(secs(5), tick);
        let late = noter(&reactor, &log, "after the end");
        reactor.call_later(secs(20), late);

        let started = Instant::now();
        reactor.run().unwrap();
        assert_eq!(
            *log.borrow(),
            [
                "stop@1",
                "before@1",
                "timers still run@5",
                "goodbye said@10",
                "during@10",
                "after@10"
            ],
            "{backend:?}"
        );
        assert!(started.elapsed() < secs(1), "virtual time");
        assert_eq!(reactor.pending_calls().len(), 1, "the call at 20 s is left");
    }
}

#[test]
fn phases_run_in_order_each_in_the_order_added_and_only_once() {
    for backend in BackendKind::ALL {
        let (reactor, log) = virtual_reactor(backend);
        for (phase, name) in [
            (Phase::After, "after 1"),
            (Phase::During, "during 1"),
            (Phase::Before, "before 1"),
            (Phase::After, "after 2"),
            (Phase::Before, "before 2"),
            (Phase::During, "during 2"),
        ] {
            reactor.add_shutdown_trigger(phase, noter(&reactor, &log, name));
        }
        stop_at(&reactor, &log, 1);
        // Due at the same time as the stop: with nothing to wait for, the
        // run ends before it, as it does with no triggers at all.
        let same_time = noter(&reactor, &log, "same time");
        reactor.call_later(secs(1), same_time);

        reactor.run().unwrap();
        let expected = [
            "stop@1",
            "before 1@1",
            "before 2@1",
            "during 1@1",
            "during 2@1",
            "after 1@1",
            "after 2@1",
        ];
        assert_eq!(*log.borrow(), expected, "{backend:?}");

        // Run again and stop again: the triggers have been used up.
        stop_at(&reactor, &log, 1);
        reactor.run().unwrap();
        assert_eq!(log.borrow()[expected.len()..], ["same time@1", "stop@2"]);
    }
}

#[test]
fn a_panicking_trigger_is_reported_and_the_shutdown_goes_on() {
    for backend in BackendKind::ALL {
        let (reactor, log) = virtual_reactor(backend);
        let failures: Rc<RefCell<Vec<FailedCall>>> = Rc::default();
        let sink = Rc::clone(&failures);
        reactor.on_failure(move |failure| sink.borrow_mut().push(failure.clone()));
        reactor.add_shutdown_trigger(Phase::Before, || -> () { panic!("could not flush") });
        reactor.add_shutdown_trigger(Phase::Before, noter(&reactor, &log, "before"));
        reactor.add_shutdown_trigger(Phase::During, noter(&reactor, &log, "during"));
        stop_at(&reactor, &log, 1);

        reactor.run().unwrap();
        assert_eq!(*log.borrow(), ["stop@1", "before@1", "during@1"]);
        let failures = failures.borrow();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            failures[0]
                .what
                .starts_with("shutdown trigger scheduled at")
        );
        assert!(failures[0].how.contains("could not flush"));
    }
}

#[test]
fn a_removed_trigger_does_not_fire() {
    let (reactor, log) = virtual_reactor(BackendKind::Mio);
    let kept = reactor.add_shutdown_trigger(Phase::During, noter(&reactor, &log, "kept"));
    let removed = reactor.add_shutdown_trigger(Phase::During, noter(&reactor, &log, "removed"));
    assert!(reactor.remove_shutdown_trigger(removed));
    assert!(!reactor.remove_shutdown_trigger(removed), "already removed");
    stop_at(&reactor, &log, 0);
    reactor.run().unwrap();
    assert_eq!(*log.borrow(), ["stop@0", "kept@0"]);
    assert!(!reactor.remove_shutdown_trigger(kept), "it has fired");
}

#[test]
fn stop_during_a_shutdown_is_already_stopping() {
    let (reactor, log) = virtual_reactor(BackendKind::Poll);
    let answer: Rc<RefCell<Option<bool>>> = Rc::default();
    let (r, a) = (reactor.clone(), Rc::clone(&answer));
    reactor.add_shutdown_trigger(Phase::Before, move || {
        *a.borrow_mut() = Some(matches!(r.stop(), Err(ReactorError::AlreadyStopping)));
    });
    stop_at(&reactor, &log, 0);
    reactor.run().unwrap();
    assert_eq!(*answer.borrow(), Some(true));
}

#[test]
fn with_nothing_left_to_complete_a_before_completion_a_virtual_run_ends() {
    for backend in BackendKind::ALL {
        let (reactor, log) = virtual_reactor(backend);
        let never = Later::<()>::new();
        let held = never.clone(); // so it could still complete, in principle
        reactor.add_shutdown_trigger(Phase::Before, move || held);
        reactor.add_shutdown_trigger(Phase::During, noter(&reactor, &log, "during"));
        stop_at(&reactor, &log, 1);

        let started = Instant::now();
        reactor.run().unwrap();
        assert!(started.elapsed() < secs(1), "no waiting for real time");
        assert_eq!(*log.borrow(), ["stop@1"], "{backend:?}: no during");

        // The "during" trigger was not used up: the next shutdown runs it.
        stop_at(&reactor, &log, 1);
        reactor.run().unwrap();
        assert_eq!(*log.borrow(), ["stop@1", "stop@2", "during@2"]);
        drop(never);
    }
}

#[test]
fn a_before_completion_dropped_unfinished_does_not_hold_the_shutdown() {
    let (reactor, log) = virtual_reactor(BackendKind::Mio);
    // Nobody else holds this completion: it can never complete.
    reactor.add_shutdown_trigger(Phase::Before, Later::<()>::new);
    reactor.add_shutdown_trigger(Phase::After, noter(&reactor, &log, "after"));
    let tick = noter(&reactor, &log, "tick");
    reactor.call_later(secs(5), tick);
    stop_at(&reactor, &log, 1);
    reactor.run().unwrap();
    assert_eq!(*log.borrow(), ["stop@1", "after@1"]);
}

#[test]
fn run_until_returns_the_outcome_without_a_shutdown() {
    for backend in BackendKind::ALL {
        let (reactor, log) = virtual_reactor(backend);
        reactor.add_shutdown_trigger(Phase::During, noter(&reactor, &log, "during"));
        let answer = Later::new();
        let (give, note) = (answer.clone(), noter(&reactor, &log, "answered"));
        reactor.call_later(secs(3), move || {
            note();
            give.complete(42);
        });
        let later = noter(&reactor, &log, "later");
        reactor.call_later(secs(10), later);

        assert_eq!(reactor.run_until(answer).unwrap(), 42, "{backend:?}");
        assert_eq!(*log.borrow(), ["answered@3"], "no trigger fired");
        assert_eq!(reactor.now(), secs(3));
        assert!(!reactor.is_running());
        // The reactor can go on: the later call still runs.
        reactor.run().unwrap();
        assert_eq!(*log.borrow(), ["answered@3", "later@10"]);
    }
}

#[test]
fn run_until_something_already_complete_does_not_run() {
    let (reactor, log) = virtual_reactor(BackendKind::Mio);
    let startup = noter(&reactor, &log, "started");
    reactor.call_when_running(startup);
    reactor.run_until(()).unwrap();
    let done = Later::new();
    done.complete("yes");
    assert_eq!(reactor.run_until(done).unwrap(), "yes");
    assert!(log.borrow().is_empty(), "the loop never ran");
}

#[test]
fn run_until_says_when_the_run_ended_first() {
    for backend in BackendKind::ALL {
        // Nothing left to do on a virtual clock.
        let (reactor, _log) = virtual_reactor(backend);
        let never = Later::<u8>::new();
        let result = reactor.run_until(never.clone());
        assert!(
            matches!(result, Err(ReactorError::EndedBeforeCompletion)),
            "{result:?}"
        );
        // Stopped.
        let (reactor, log) = virtual_reactor(backend);
        stop_at(&reactor, &log, 2);
        let result = reactor.run_until(never.clone());
        assert!(
            matches!(result, Err(ReactorError::EndedBeforeCompletion)),
            "{result:?}"
        );
        // Completing it afterwards changes nothing for a later run.
        never.complete(1);
        let tick = noter(&reactor, &log, "tick");
        reactor.call_later(secs(1), tick);
        reactor.run().unwrap();
        assert_eq!(*log.borrow(), ["stop@2", "tick@3"]);
    }
}

#[test]
fn pending_calls_lists_what_is_still_to_come_in_due_order() {
    let (reactor, _log) = virtual_reactor(BackendKind::Mio);
    let c = reactor.call_later(secs(3), || ());
    let a = reactor.call_later(secs(1), || ());
    let cancelled = reactor.call_later(secs(2), || ());
    let a_tie = reactor.call_later(secs(1), || ());
    cancelled.cancel().unwrap();

    let dues = |calls: Vec<part_03::DelayedCall>| -> Vec<u64> {
        calls.iter().map(|call| call.due().as_secs()).collect()
    };
    let pending = reactor.pending_calls();
    assert_eq!(dues(pending.clone()), [1, 1, 3]);
    // Ties in the order scheduled: the handles are the same calls.
    a.cancel().unwrap();
    assert!(!pending[0].active() && pending[1].active());

    reactor.advance(Duration::from_millis(1500)).unwrap();
    assert_eq!(dues(reactor.pending_calls()), [3]);
    assert_eq!(a_tie.cancel(), Err(CancelError::AlreadyCalled));
    c.cancel().unwrap();
    assert!(reactor.pending_calls().is_empty());
}

#[test]
fn a_pending_call_says_what_it_is_and_where_it_was_scheduled() {
    let (reactor, _log) = virtual_reactor(BackendKind::Mio);
    let line = line!() + 1;
    let call = reactor.call_later(secs(1), || ());
    assert_eq!(
        call.what(),
        format!("timed call scheduled at {}:{line}", file!())
    );
    assert_eq!(reactor.pending_calls()[0].what(), call.what());
}
