//! Lifted functions: called once every argument has fired, skipped with
//! the failure passed on when one fails, the first failure wins and the
//! other arguments are cancelled, cancel reaches down the nest; and the
//! tokio counterpart with `try_join!` on paused time.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use part_07::{CancelledError, Deferred, Failure, Trigger, deferred, on_unhandled, succeed};
use part_18::lifted::{join2, lift1, lift2, lift3, recover};
use part_18::tokio_lifted::two_poems;

mod common;
use common::watch;

/// A deferred whose canceller counts into `cancels`.
fn cancellable(cancels: &Rc<Cell<usize>>) -> (Deferred<u32>, Trigger<u32>) {
    let count = Rc::clone(cancels);
    Deferred::with_canceller(move |_: &Trigger<u32>| count.set(count.get() + 1))
}

#[test]
fn a_lifted_function_runs_once_all_its_arguments_have_fired() {
    let calls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&calls);
    let add = lift2(move |a: u32, b: u32| {
        counted.set(counted.get() + 1);
        Ok(a + b)
    });
    let double = lift1(|x: u32| Ok(x * 2));
    let (a, fire_a) = deferred();
    let (b, fire_b) = deferred();
    let got = watch(double(add(a, b)));
    fire_b.callback(2).unwrap();
    assert_eq!(calls.get(), 0, "not before both arguments");
    fire_a.callback(1).unwrap();
    assert_eq!(calls.get(), 1);
    assert_eq!(*got.borrow(), Some(Ok("6".into())));
    let three = lift3(|a: u32, b: &str, c: u32| Ok(format!("{a}{b}{c}")));
    assert_eq!(
        *watch(three(succeed(1), succeed("-"), succeed(2))).borrow(),
        Some(Ok("\"1-2\"".into()))
    );
}

#[test]
fn a_failed_argument_skips_every_call_above_it_and_passes_on_untouched() {
    let called = Rc::new(Cell::new(false));
    let flag = Rc::clone(&called);
    let cleanup = lift1(move |s: String| {
        flag.set(true);
        Ok(s)
    });
    let reformat = lift1(|s: String| Ok(s.to_uppercase()));
    let (page, fire) = deferred::<String>();
    let failure = Failure::msg("404");
    let kept = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&kept);
    let _ = reformat(cleanup(page)).add_errback(move |f: Failure| {
        *keep.borrow_mut() = Some(f);
        Ok(String::new())
    });
    fire.errback(failure.clone()).unwrap();
    assert!(!called.get(), "cleanup was skipped");
    assert!(
        kept.borrow().as_ref().unwrap().same_as(&failure),
        "the same failure"
    );
}

#[test]
fn the_first_failure_wins_and_the_other_arguments_are_cancelled() {
    let reported = Rc::new(Cell::new(0));
    let counter = Rc::clone(&reported);
    let _guard = on_unhandled(move |_| counter.set(counter.get() + 1));
    let cancels = Rc::new(Cell::new(0));
    let (a, fire_a) = cancellable(&cancels);
    let (b, fire_b) = cancellable(&cancels);
    let got = watch(lift2(|a: u32, b: u32| Ok(a + b))(a, b));
    fire_b.errback(Failure::msg("b first")).unwrap();
    assert_eq!(*got.borrow(), Some(Err("Message: b first".into())));
    assert_eq!(cancels.get(), 1, "a was cancelled");
    // a has failed with CancelledError by now: a late firing is ignored.
    let _ = fire_a.errback(Failure::msg("a later"));
    assert_eq!(*got.borrow(), Some(Err("Message: b first".into())));
    assert_eq!(reported.get(), 0, "the later failures end in the join");
}

#[test]
fn lift3s_first_failure_is_the_first_in_time_whichever_argument_it_is() {
    let join = lift3(|a: u32, b: u32, c: u32| Ok(a + b + c));
    // The third argument fails first: the first two are cancelled.
    let cancels = Rc::new(Cell::new(0));
    let (a, fire_a) = cancellable(&cancels);
    let (b, _fire_b) = cancellable(&cancels);
    let (c, fire_c) = cancellable(&cancels);
    let got = watch(join(a, b, c));
    fire_c.errback(Failure::msg("c first")).unwrap();
    assert_eq!(*got.borrow(), Some(Err("Message: c first".into())));
    assert_eq!(cancels.get(), 2, "a and b were cancelled");
    let _ = fire_a.errback(Failure::msg("a later"));
    assert_eq!(*got.borrow(), Some(Err("Message: c first".into())));
    // The first argument fails first: the other two are cancelled.
    let cancels = Rc::new(Cell::new(0));
    let (a, fire_a) = cancellable(&cancels);
    let (b, _fire_b) = cancellable(&cancels);
    let (c, fire_c) = cancellable(&cancels);
    let got = watch(join(a, b, c));
    fire_a.errback(Failure::msg("a first")).unwrap();
    assert_eq!(*got.borrow(), Some(Err("Message: a first".into())));
    assert_eq!(cancels.get(), 2, "b and c were cancelled");
    let _ = fire_c.errback(Failure::msg("c later"));
    assert_eq!(*got.borrow(), Some(Err("Message: a first".into())));
}

#[test]
fn a_failure_after_a_value_still_fails_the_call() {
    let (a, fire_a) = deferred::<u32>();
    let (b, fire_b) = deferred::<u32>();
    let got = watch(join2(a, b));
    fire_a.callback(1).unwrap();
    fire_b.errback(Failure::msg("b")).unwrap();
    assert_eq!(*got.borrow(), Some(Err("Message: b".into())));
}

#[test]
fn cancelling_a_lifted_call_cancels_its_arguments_down_the_nest() {
    let cancels = Rc::new(Cell::new(0));
    let (a, _fa) = cancellable(&cancels);
    let (b, _fb) = cancellable(&cancels);
    let (c, _fc) = cancellable(&cancels);
    let add = lift2(|a: u32, b: u32| Ok(a + b));
    let inner = add(a, b);
    let outer = add(inner, c);
    let handle = outer.cancel_handle();
    let got = watch(outer);
    handle.cancel();
    assert_eq!(cancels.get(), 3);
    assert_eq!(
        *got.borrow(),
        Some(Err(format!("CancelledError: {CancelledError}")))
    );
}

#[test]
fn a_lifted_function_may_fail_or_return_a_deferred() {
    let check = lift1(|x: u32| {
        if x > 0 {
            Ok(x)
        } else {
            Err(Failure::msg("zero"))
        }
    });
    assert_eq!(
        *watch(check(succeed(0))).borrow(),
        Some(Err("Message: zero".into()))
    );
    let (later, fire) = deferred::<u32>();
    let slot = Rc::new(RefCell::new(Some(later)));
    let wait = lift1(move |_: u32| slot.borrow_mut().take().expect("called once"));
    let got = watch(wait(succeed(1)));
    assert!(
        got.borrow().is_none(),
        "waiting for the function's deferred"
    );
    fire.callback(9).unwrap();
    assert_eq!(*got.borrow(), Some(Ok("9".into())));
}

#[test]
fn a_lifted_errback_runs_only_for_a_failure() {
    let calls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&calls);
    let or_zero = recover(move |_: Failure| {
        counted.set(counted.get() + 1);
        Ok(0u32)
    });
    assert_eq!(*watch(or_zero(succeed(5))).borrow(), Some(Ok("5".into())));
    assert_eq!(calls.get(), 0);
    let failed = part_07::fail::<u32>(Failure::msg("x"));
    assert_eq!(*watch(or_zero(failed)).borrow(), Some(Ok("0".into())));
    assert_eq!(calls.get(), 1);
}

#[tokio::test(start_paused = true)]
async fn on_tokio_try_join_returns_the_first_error_and_drops_the_other() {
    let finished = Rc::new(Cell::new(0));
    let fetch = |name: String| {
        let finished = Rc::clone(&finished);
        async move {
            let (secs, fails) = if name == "raven" {
                (1, true)
            } else {
                (3, false)
            };
            tokio::time::sleep(Duration::from_secs(secs)).await;
            finished.set(finished.get() + 1);
            if fails {
                Err(format!("{name}: refused"))
            } else {
                Ok(format!(" {name} "))
            }
        }
    };
    let start = tokio::time::Instant::now();
    assert_eq!(
        two_poems(&fetch, "raven", "panther").await,
        Err("raven: refused".into())
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "as soon as it failed"
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(finished.get(), 1, "panther was dropped, never finished");
    assert_eq!(
        two_poems(&fetch, "tyger", "panther").await,
        Ok("tyger / panther".into())
    );
}
