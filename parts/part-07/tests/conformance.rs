//! The Deferred's semantics, rule by rule, as the series (and Twisted)
//! define them. Each test names the rule it checks.

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{
    AlreadyCalled, CancelledError, Deferred, Failure, Message, Panicked, deferred, fail,
    maybe_deferred, on_unhandled, succeed,
};

/// A log the callbacks write to, shared by the test.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    fn note(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("gibberish")]
struct Gibberish;

#[derive(Debug, thiserror::Error)]
#[error("a bug")]
struct Bug;

/// For the side of a pair that must not run.
fn not_called<T>(_: T) {
    panic!("this side of the chain must not run");
}

/// Collects unhandled-failure reports on this thread while alive.
fn watch_unhandled() -> (Rc<RefCell<Vec<String>>>, part_07::UnhandledGuard) {
    let reports: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = Rc::clone(&reports);
    let guard = on_unhandled(move |failure| {
        sink.borrow_mut()
            .push(failure.short_type_name().to_string())
    });
    (reports, guard)
}

#[test]
fn results_flow_down_the_chain() {
    let log = Log::default();
    let (d, trigger) = deferred::<u32>();
    let l = log.clone();
    let _end = d
        .add_callback(|n| Ok(n + 1))
        .add_callback(|n: u32| Ok(format!("poem #{n}")))
        .add_callback(move |s: String| l.note(s));
    assert!(
        log.lines().is_empty(),
        "nothing runs before the deferred fires"
    );
    trigger.callback(41).unwrap();
    assert_eq!(log.lines(), ["poem #42"]);
}

#[test]
fn a_failure_skips_callbacks_until_an_errback_recovers() {
    let log = Log::default();
    let (d, trigger) = deferred::<&str>();
    let (l1, l2, l3, l4) = (log.clone(), log.clone(), log.clone(), log.clone());
    let _end = d
        .add_callback(move |poem| {
            l1.note("callback 1");
            if poem.is_empty() {
                Err(Failure::new(Gibberish))
            } else {
                Ok(poem.len())
            }
        })
        .add_callback(move |n| {
            l2.note("callback 2 (skipped)");
            Ok(n)
        })
        .add_errback(move |failure| {
            l3.note(format!("errback got {}", failure.short_type_name()));
            Ok(0) // recovered: back to the callback side
        })
        .add_callbacks(move |n| l4.note(format!("callback 3 got {n}")), not_called);
    trigger.callback("").unwrap();
    assert_eq!(
        log.lines(),
        ["callback 1", "errback got Gibberish", "callback 3 got 0"]
    );
}

#[test]
fn an_errback_that_fails_again_keeps_the_chain_on_the_errback_side() {
    let log = Log::default();
    let (d, trigger) = deferred::<u8>();
    let (l1, l2) = (log.clone(), log.clone());
    let _end = d
        .add_errback(move |failure| {
            l1.note(format!("first errback: {}", failure.short_type_name()));
            Err::<u8, _>(Failure::new(Bug))
        })
        .add_callbacks(not_called, move |failure| {
            l2.note(format!("second errback: {}", failure.short_type_name()))
        });
    trigger.errback(Gibberish).unwrap();
    assert_eq!(
        log.lines(),
        ["first errback: Gibberish", "second errback: Bug"]
    );
}

#[test]
fn add_both_gets_the_result_or_the_failure() {
    let log = Log::default();
    for fire_ok in [true, false] {
        let (d, trigger) = deferred::<u8>();
        let l = log.clone();
        let _end = d.add_both(move |outcome: Result<u8, Failure>| match outcome {
            Ok(n) => l.note(format!("both got {n}")),
            Err(f) => l.note(format!("both got {}", f.short_type_name())),
        });
        if fire_ok {
            trigger.callback(7).unwrap();
        } else {
            trigger.errback(Bug).unwrap();
        }
    }
    assert_eq!(log.lines(), ["both got 7", "both got Bug"]);
}

#[test]
fn firing_twice_is_an_error_whichever_way() {
    let (reports, _guard) = watch_unhandled();
    for (first_ok, second_ok) in [(true, true), (true, false), (false, true), (false, false)] {
        let (d, trigger) = deferred::<u8>();
        let _end = d.add_both(|_| ());
        let fire = |ok: bool| {
            if ok {
                trigger.callback(1)
            } else {
                trigger.errback(Bug)
            }
        };
        assert_eq!(fire(first_ok), Ok(()));
        assert_eq!(
            fire(second_ok),
            Err(AlreadyCalled),
            "({first_ok}, {second_ok})"
        );
    }
    assert!(reports.borrow().is_empty());
}

#[test]
fn callbacks_added_after_firing_run_at_once() {
    let log = Log::default();
    let (d, trigger) = deferred::<&str>();
    trigger.callback("already here").unwrap();
    let l = log.clone();
    let _end = d.add_callback(move |s| l.note(s));
    assert_eq!(log.lines(), ["already here"]);

    let l = log.clone();
    let _end = succeed(5).add_callback(move |n: i32| l.note(format!("succeed gave {n}")));
    let l = log.clone();
    let _end = fail::<i32>(Gibberish).add_errback(move |f| {
        l.note(format!("fail gave {}", f.short_type_name()));
        Ok(0)
    });
    assert_eq!(
        log.lines(),
        ["already here", "succeed gave 5", "fail gave Gibberish"]
    );
}

#[test]
fn a_callback_returning_a_deferred_pauses_the_outer_chain_until_it_fires() {
    let log = Log::default();
    let (outer, outer_trigger) = deferred::<&str>();
    let (inner, inner_trigger) = deferred::<String>();
    let inner = RefCell::new(Some(inner));
    let (l1, l2) = (log.clone(), log.clone());
    let _end = outer
        .add_callback(move |poem: &str| {
            l1.note(format!("first outer callback got {poem:?}"));
            inner.borrow_mut().take().unwrap() // a Deferred<String>: the chain waits for it
        })
        .add_callback(move |transformed: String| {
            l2.note(format!("second outer callback got {transformed:?}"))
        });
    outer_trigger.callback("a poem").unwrap();
    assert_eq!(
        log.lines(),
        ["first outer callback got \"a poem\""],
        "waiting for the inner deferred"
    );
    inner_trigger.callback("A POEM".to_string()).unwrap();
    assert_eq!(
        log.lines(),
        [
            "first outer callback got \"a poem\"",
            "second outer callback got \"A POEM\""
        ]
    );
}

#[test]
fn an_inner_failure_goes_on_down_the_outer_chain_and_is_not_reported_twice() {
    let (reports, _guard) = watch_unhandled();
    let log = Log::default();
    let (outer, outer_trigger) = deferred::<u8>();
    let (inner, inner_trigger) = deferred::<u8>();
    let inner = RefCell::new(Some(inner));
    let l = log.clone();
    let end = outer
        .add_callback(move |_| inner.borrow_mut().take().unwrap())
        .add_errback(move |failure| {
            l.note(format!("outer errback got {}", failure.short_type_name()));
            Ok(0)
        });
    outer_trigger.callback(1).unwrap();
    inner_trigger.errback(Gibberish).unwrap();
    drop((end, inner_trigger));
    assert_eq!(log.lines(), ["outer errback got Gibberish"]);
    assert!(reports.borrow().is_empty(), "{:?}", reports.borrow());
}

#[test]
fn an_inner_deferred_that_already_fired_is_used_at_once() {
    let log = Log::default();
    let l = log.clone();
    let _end = succeed(2)
        .add_callback(|n: i32| succeed(n * 10))
        .add_callback(move |n: i32| l.note(format!("{n}")));
    assert_eq!(log.lines(), ["20"]);
}

#[test]
fn pause_holds_the_callbacks_until_unpaused_as_often_as_paused() {
    let log = Log::default();
    let (d, trigger) = deferred::<u8>();
    d.pause();
    d.pause();
    let l = log.clone();
    let d = d.add_callback(move |n| {
        l.note(format!("got {n}"));
        Ok(n)
    });
    trigger.callback(3).unwrap();
    assert!(log.lines().is_empty(), "paused: the result waits");
    d.unpause();
    assert!(log.lines().is_empty(), "still paused once");
    d.unpause();
    assert_eq!(log.lines(), ["got 3"]);
}

#[test]
fn a_callback_may_fire_another_deferred_whose_callbacks_run_inside_it() {
    let log = Log::default();
    let (second, second_trigger) = deferred::<u8>();
    let l = log.clone();
    let _second_end = second.add_callback(move |n| l.note(format!("second got {n}")));
    let (first, first_trigger) = deferred::<u8>();
    let l = log.clone();
    let _first_end = first.add_callback(move |n| {
        l.note("first: firing the second");
        second_trigger.callback(n + 1).unwrap();
        l.note("first: done");
    });
    first_trigger.callback(1).unwrap();
    assert_eq!(
        log.lines(),
        ["first: firing the second", "second got 2", "first: done"]
    );
}

#[test]
fn maybe_deferred_always_gives_a_deferred() {
    let log = Log::default();
    let record = |log: &Log, d: Deferred<u8>| {
        let (l1, l2) = (log.clone(), log.clone());
        let _end = d.add_callbacks(
            move |n| l1.note(format!("value {n}")),
            move |f| l2.note(format!("failure {}", f.short_type_name())),
        );
    };
    record(&log, maybe_deferred(|| Ok(1)));
    record(&log, maybe_deferred(|| Err(Failure::new(Gibberish))));
    record(&log, maybe_deferred(|| succeed(2)));
    let (pending, trigger) = deferred::<u8>();
    record(&log, maybe_deferred(move || pending));
    record(
        &log,
        maybe_deferred(|| -> Result<u8, Failure> { panic!("a bug") }),
    );
    trigger.callback(3).unwrap();
    assert_eq!(
        log.lines(),
        [
            "value 1",
            "failure Gibberish",
            "value 2",
            "failure Panicked",
            "value 3"
        ]
    );
}

#[test]
fn a_panicking_callback_becomes_a_failure() {
    let log = Log::default();
    let l = log.clone();
    let _end = succeed(1u8)
        .add_callback(|_| -> Result<u8, Failure> { panic!("oops") })
        .add_errback(move |f| {
            l.note(f.trap::<Panicked>().map(|p| p.0).unwrap_or_default());
            Ok(0)
        });
    assert_eq!(log.lines(), ["oops"]);
}

#[test]
fn an_unhandled_failure_is_reported_when_the_last_handle_goes() {
    let (reports, _guard) = watch_unhandled();
    let (d, trigger) = deferred::<u8>();
    let d = d.add_callback(|_| Err::<u8, _>(Failure::new(Bug)));
    trigger.callback(1).unwrap();
    assert!(reports.borrow().is_empty(), "not while a handle remains");
    drop(d);
    assert!(reports.borrow().is_empty(), "the trigger is a handle too");
    drop(trigger);
    assert_eq!(*reports.borrow(), ["Bug"]);
}

#[test]
fn a_handled_failure_is_not_reported() {
    let (reports, _guard) = watch_unhandled();
    let (d, trigger) = deferred::<u8>();
    let d = d.add_errback(|_| Ok(0));
    trigger.errback(Bug).unwrap();
    drop((d, trigger));
    assert!(reports.borrow().is_empty());
}

#[test]
fn cancel_before_firing_fails_with_cancelled_and_ignores_the_late_result() {
    let log = Log::default();
    let (d, trigger) = deferred::<&str>();
    let l = log.clone();
    let handle = d.cancel_handle();
    let _end = d.add_callbacks(not_called, move |f| {
        l.note(format!("errback: {}", f.short_type_name()))
    });
    handle.cancel();
    assert_eq!(log.lines(), ["errback: CancelledError"]);
    assert_eq!(
        trigger.callback("too late"),
        Ok(()),
        "ignored, not an error"
    );
    assert_eq!(
        trigger.callback("again"),
        Err(AlreadyCalled),
        "ignored only once"
    );
}

#[test]
fn cancel_after_firing_does_nothing_and_calls_no_canceller() {
    let log = Log::default();
    let l = log.clone();
    let (d, trigger) = Deferred::<u8>::with_canceller(move |_| l.note("canceller"));
    let l = log.clone();
    let handle = d.cancel_handle();
    let _end = d.add_callback(move |n| l.note(format!("got {n}")));
    trigger.callback(1).unwrap();
    handle.cancel();
    assert_eq!(log.lines(), ["got 1"]);
}

#[test]
fn a_canceller_runs_before_the_errback_and_a_later_firing_is_an_error() {
    let log = Log::default();
    let l = log.clone();
    let (d, trigger) = Deferred::<u8>::with_canceller(move |_| l.note("canceller"));
    let l = log.clone();
    let handle = d.cancel_handle();
    let _end = d.add_errback(move |f| {
        l.note(format!("errback: {}", f.short_type_name()));
        Ok(0)
    });
    handle.cancel();
    assert_eq!(log.lines(), ["canceller", "errback: CancelledError"]);
    // A canceller should have stopped the work; firing anyway is a mistake.
    assert_eq!(trigger.callback(1), Err(AlreadyCalled));
}

#[test]
fn a_canceller_may_fire_the_deferred_itself() {
    let log = Log::default();
    let (d, _trigger) = Deferred::<&str>::with_canceller(|trigger| {
        trigger.callback("a poem fetched in a hurry").unwrap();
    });
    let l = log.clone();
    let handle = d.cancel_handle();
    let _end = d.add_callbacks(move |poem| l.note(poem), not_called);
    handle.cancel();
    assert_eq!(log.lines(), ["a poem fetched in a hurry"]);

    let (d, _trigger) = Deferred::<u8>::with_canceller(|trigger| {
        trigger.errback(Message("aborted".into())).unwrap();
    });
    let l = log.clone();
    d.cancel();
    let _end = d.add_errback(move |f| {
        l.note(f.message());
        Ok(0)
    });
    assert_eq!(log.lines(), ["a poem fetched in a hurry", "aborted"]);
}

#[test]
fn cancelling_an_outer_deferred_waiting_on_an_inner_one_cancels_the_inner() {
    let log = Log::default();
    let l = log.clone();
    let (outer, outer_trigger) =
        Deferred::<&str>::with_canceller(move |_| l.note("outer canceller"));
    let l = log.clone();
    let (inner, _inner_trigger) =
        Deferred::<&str>::with_canceller(move |_| l.note("inner canceller"));
    let inner = RefCell::new(Some(inner));
    let handle = outer.cancel_handle();
    let (l1, l2) = (log.clone(), log.clone());
    let _end = outer
        .add_callback(move |_| {
            l1.note("first outer callback returns the inner deferred");
            inner.borrow_mut().take().unwrap()
        })
        .add_callbacks(not_called, move |f| {
            l2.note(format!("outer errback: {}", f.short_type_name()))
        });
    outer_trigger.callback("result").unwrap();
    handle.cancel();
    assert_eq!(
        log.lines(),
        [
            "first outer callback returns the inner deferred",
            "inner canceller",
            "outer errback: CancelledError"
        ]
    );
}

#[test]
fn cancelled_error_is_a_type_errbacks_can_trap() {
    let (d, _trigger) = deferred::<u8>();
    let handle = d.cancel_handle();
    let trapped = Rc::new(RefCell::new(false));
    let t = Rc::clone(&trapped);
    let _end = d.add_errback(move |f| {
        f.trap::<CancelledError>()?;
        *t.borrow_mut() = true;
        Ok(0)
    });
    handle.cancel();
    assert!(*trapped.borrow());
}

#[test]
fn firing_lets_go_of_the_canceller() {
    let held = Rc::new(());
    let in_canceller = Rc::clone(&held);
    let (d, trigger) = Deferred::<u8>::with_canceller(move |_| drop(in_canceller));
    assert_eq!(Rc::strong_count(&held), 2);
    trigger.callback(1).unwrap();
    assert_eq!(
        Rc::strong_count(&held),
        1,
        "nothing left to cancel, nothing kept"
    );
    let _end = d.add_callback(|_| ());
}

#[test]
fn an_unpause_too_many_does_not_end_a_wait_for_an_inner_deferred() {
    let (reports, _guard) = watch_unhandled();
    let log = Log::default();
    let (outer, outer_trigger) = deferred::<u8>();
    let (inner, inner_trigger) = deferred::<u8>();
    let inner = RefCell::new(Some(inner));
    let outer = outer.add_callback(move |_| inner.borrow_mut().take().unwrap());
    outer_trigger.callback(1).unwrap();
    outer.unpause(); // no pause to undo: must change nothing
    let l = log.clone();
    let _end = outer.add_callback(move |n| l.note(format!("got {n}")));
    assert!(
        log.lines().is_empty(),
        "still waiting for the inner deferred"
    );
    inner_trigger.callback(2).unwrap();
    assert_eq!(log.lines(), ["got 2"]);
    assert!(reports.borrow().is_empty(), "{:?}", reports.borrow());
}
