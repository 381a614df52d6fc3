//! `DeferredList` and `gather_results`: every option, their combinations,
//! and lists of lists.

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{Deferred, Failure, Trigger, deferred, fail, on_unhandled, succeed};
use part_18::{DeferredList, FirstError, ListOptions, ListResult, gather_results};

/// Everything a list (or gather) fired with, as text, in order.
type Seen = Rc<RefCell<Vec<String>>>;

/// `n` unfired deferreds and their triggers.
fn members(n: usize) -> (Vec<Deferred<u32>>, Vec<Trigger<u32>>) {
    (0..n).map(|_| deferred::<u32>()).unzip()
}

/// Describes what a list fired with.
fn describe(outcome: &Result<ListResult<u32>, Failure>) -> String {
    match outcome {
        Ok(ListResult::All(all)) => {
            let all: Vec<String> = all
                .iter()
                .map(|o| match o {
                    Ok(v) => format!("ok {v}"),
                    Err(f) => format!("err {}", f.message()),
                })
                .collect();
            format!("all [{}]", all.join(", "))
        }
        Ok(ListResult::First { value, index }) => format!("first {value} at {index}"),
        Err(failure) => match failure.downcast_ref::<FirstError>() {
            Some(first) => format!("first error {} at {}", first.failure.message(), first.index),
            None => format!("failed {}", failure.message()),
        },
    }
}

/// Builds a list of `deferreds` with `options` and records what it fires with.
fn watch(deferreds: Vec<Deferred<u32>>, options: ListOptions) -> Seen {
    let seen = Seen::default();
    let record = Rc::clone(&seen);
    let _ = DeferredList::new(deferreds, options)
        .into_deferred()
        .add_both(move |outcome| record.borrow_mut().push(describe(&outcome)));
    seen
}

/// Collects the unhandled failures reported while the guard lives.
fn reports() -> (Rc<RefCell<Vec<String>>>, part_07::UnhandledGuard) {
    let reported = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&reported);
    let guard = on_unhandled(move |failure| sink.borrow_mut().push(failure.message()));
    (reported, guard)
}

#[test]
fn an_empty_list_has_fired_already() {
    for options in [
        ListOptions::default(),
        ListOptions {
            fire_on_one_callback: true,
            fire_on_one_errback: true,
            consume_errors: true,
        },
    ] {
        let seen = watch(Vec::new(), options);
        assert_eq!(*seen.borrow(), ["all []"]);
    }
}

#[test]
fn the_list_waits_for_every_member_and_keeps_their_order() {
    let (ds, ts) = members(3);
    let seen = watch(ds, ListOptions::default());
    let _ = ts[2].callback(30);
    let _ = ts[0].callback(10);
    assert!(seen.borrow().is_empty(), "fired before every member had");
    let _ = ts[1].callback(20);
    assert_eq!(*seen.borrow(), ["all [ok 10, ok 20, ok 30]"]);
}

#[test]
fn members_fired_before_the_list_was_made_count() {
    let seen = watch(vec![succeed(1), succeed(2)], ListOptions::default());
    assert_eq!(*seen.borrow(), ["all [ok 1, ok 2]"]);
}

#[test]
fn a_failure_is_listed_and_left_in_its_member_unless_consumed() {
    for consume_errors in [false, true] {
        let (reported, guard) = reports();
        let (ds, ts) = members(2);
        let options = ListOptions {
            consume_errors,
            ..ListOptions::default()
        };
        let seen = watch(ds, options);
        let _ = ts[1].errback(Failure::msg("boom"));
        let _ = ts[0].callback(1);
        drop(ts);
        assert_eq!(*seen.borrow(), ["all [ok 1, err boom]"]);
        let expected: &[&str] = if consume_errors { &[] } else { &["boom"] };
        assert_eq!(
            *reported.borrow(),
            expected,
            "consume_errors: {consume_errors}"
        );
        drop(guard);
    }
}

#[test]
fn an_errback_added_to_the_member_after_the_list_handles_its_failure() {
    let (reported, _guard) = reports();
    let (ds, ts) = members(2);
    let (list, mut rest) = DeferredList::new(ds, ListOptions::default()).into_parts();
    let handled = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&handled);
    let second = rest.pop().expect("two members");
    let _ = second.add_errback(move |failure: Failure| {
        *keep.borrow_mut() = Some(failure.message());
        Ok(None)
    });
    let listed = Rc::new(RefCell::new(String::new()));
    let into = Rc::clone(&listed);
    let _ = list.add_both(move |outcome| *into.borrow_mut() = describe(&outcome));
    let _ = ts[0].callback(7);
    let _ = ts[1].errback(Failure::msg("late"));
    drop(ts);
    drop(rest);
    assert_eq!(*listed.borrow(), "all [ok 7, err late]");
    assert_eq!(handled.borrow().as_deref(), Some("late"));
    assert!(reported.borrow().is_empty(), "{:?}", reported.borrow());
}

#[test]
fn members_chains_go_on_with_their_values() {
    let (ds, ts) = members(2);
    let options = ListOptions {
        consume_errors: true,
        ..ListOptions::default()
    };
    let (_list, rest) = DeferredList::new(ds, options).into_parts();
    let after = Rc::new(RefCell::new(Vec::new()));
    for member in rest {
        let after = Rc::clone(&after);
        let _ = member.add_callback(move |value: Option<u32>| after.borrow_mut().push(value));
    }
    let _ = ts[0].callback(5);
    let _ = ts[1].errback(Failure::msg("eaten"));
    assert_eq!(*after.borrow(), [Some(5), None]);
}

#[test]
fn fire_on_one_callback_fires_with_the_first_value_and_its_index() {
    let (ds, ts) = members(3);
    let options = ListOptions {
        fire_on_one_callback: true,
        ..ListOptions::default()
    };
    let seen = watch(ds, options);
    let _ = ts[0].errback(Failure::msg("not this one"));
    assert!(seen.borrow().is_empty());
    let _ = ts[2].callback(3);
    let _ = ts[1].callback(2);
    drop(ts);
    assert_eq!(*seen.borrow(), ["first 3 at 2"]);
}

#[test]
fn fire_on_one_callback_with_no_success_waits_for_all() {
    let (_reported, _guard) = reports();
    let (ds, ts) = members(2);
    let options = ListOptions {
        fire_on_one_callback: true,
        ..ListOptions::default()
    };
    let seen = watch(ds, options);
    let _ = ts[1].errback(Failure::msg("b"));
    let _ = ts[0].errback(Failure::msg("a"));
    assert_eq!(*seen.borrow(), ["all [err a, err b]"]);
}

#[test]
fn fire_on_one_errback_fails_with_the_first_failure_and_its_index() {
    let (reported, guard) = reports();
    let (ds, ts) = members(3);
    let options = ListOptions {
        fire_on_one_errback: true,
        ..ListOptions::default()
    };
    let seen = watch(ds, options);
    let _ = ts[0].callback(1);
    let _ = ts[2].errback(Failure::msg("third"));
    let _ = ts[1].errback(Failure::msg("second"));
    drop(ts);
    assert_eq!(*seen.borrow(), ["first error third at 2"]);
    // Neither member's failure was consumed: both are reported.
    let mut got = reported.borrow().clone();
    got.sort();
    assert_eq!(got, ["second", "third"]);
    drop(guard);
}

#[test]
fn fire_on_one_errback_with_no_failure_fires_with_all() {
    let (ds, ts) = members(2);
    let options = ListOptions {
        fire_on_one_errback: true,
        ..ListOptions::default()
    };
    let seen = watch(ds, options);
    let _ = ts[1].callback(2);
    let _ = ts[0].callback(1);
    assert_eq!(*seen.borrow(), ["all [ok 1, ok 2]"]);
}

#[test]
fn both_fire_on_one_options_fire_with_whichever_comes_first() {
    let both = ListOptions {
        fire_on_one_callback: true,
        fire_on_one_errback: true,
        consume_errors: true,
    };
    let (ds, ts) = members(2);
    let seen = watch(ds, both);
    let _ = ts[1].errback(Failure::msg("early"));
    let _ = ts[0].callback(1);
    assert_eq!(*seen.borrow(), ["first error early at 1"]);

    let (ds, ts) = members(2);
    let seen = watch(ds, both);
    let _ = ts[0].callback(1);
    let _ = ts[1].errback(Failure::msg("late"));
    assert_eq!(*seen.borrow(), ["first 1 at 0"]);
}

#[test]
fn a_list_of_lists_nests_the_outcomes() {
    let (inner_a, ta) = members(2);
    let (inner_b, tb) = members(1);
    let a = DeferredList::new(inner_a, ListOptions::default()).into_deferred();
    let b = DeferredList::new(inner_b, ListOptions::default()).into_deferred();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let record = Rc::clone(&seen);
    let _ = DeferredList::new(vec![a, b], ListOptions::default())
        .into_deferred()
        .add_callback(move |outer: ListResult<ListResult<u32>>| {
            for inner in outer.into_all().expect("all") {
                record.borrow_mut().push(describe(&inner));
            }
        });
    let _ = tb[0].callback(3);
    let _ = ta[1].callback(2);
    assert!(seen.borrow().is_empty());
    let _ = ta[0].callback(1);
    assert_eq!(*seen.borrow(), ["all [ok 1, ok 2]", "all [ok 3]"]);
}

#[test]
fn gather_results_gives_the_values_in_order() {
    let (ds, ts) = members(3);
    let got = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&got);
    let _ = gather_results(ds, false).add_callback(move |values: Vec<u32>| {
        *keep.borrow_mut() = Some(values);
    });
    let _ = ts[1].callback(2);
    let _ = ts[2].callback(3);
    let _ = ts[0].callback(1);
    assert_eq!(*got.borrow(), Some(vec![1, 2, 3]));
}

#[test]
fn gather_results_fails_with_the_first_failure() {
    for consume_errors in [false, true] {
        let (reported, guard) = reports();
        let (ds, ts) = members(3);
        let got = Rc::new(RefCell::new(None));
        let keep = Rc::clone(&got);
        let _ = gather_results(ds, consume_errors).add_errback(move |failure: Failure| {
            let first = failure.downcast_ref::<FirstError>().expect("a FirstError");
            *keep.borrow_mut() = Some((first.index, first.failure.message()));
            Ok(Vec::new())
        });
        let _ = ts[0].callback(1);
        let _ = ts[2].errback(Failure::msg("bad"));
        assert_eq!(*got.borrow(), Some((2, "bad".to_string())));
        let _ = ts[1].errback(Failure::msg("worse"));
        drop(ts);
        let mut seen = reported.borrow().clone();
        seen.sort();
        let expected: &[&str] = if consume_errors {
            &[]
        } else {
            &["bad", "worse"]
        };
        assert_eq!(seen, expected);
        drop(guard);
    }
}

#[test]
fn gather_results_of_fired_deferreds_fires_at_once() {
    let got = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&got);
    let _ = gather_results(vec![succeed(1), fail(Failure::msg("x"))], true).add_both(
        move |outcome: Result<Vec<u32>, Failure>| {
            *keep.borrow_mut() = Some(outcome.is_err());
            Ok::<(), Failure>(())
        },
    );
    assert_eq!(*got.borrow(), Some(true));
}
