//! What no input may do to a Deferred: overflow the stack however deep the
//! nesting, leak a chain nobody can reach, lose a panic's message or place,
//! or keep a failure from reaching more than one waiter. And
//! `chain_deferred`, pitfalls included.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::thread;

use part_07::{
    AlreadyCalled, CancelledError, Deferred, Failure, Panicked, Trigger, deferred, maybe_deferred,
    on_unhandled, succeed,
};

/// As deep as the rules promise to go.
const DEEP: usize = 1_000_000;

/// Runs `f` on a thread with a 2 MiB stack, the size of every `cargo test`
/// thread, so that anything recursive overflows it long before `DEEP`.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("no overflow, no panic");
}

#[derive(Clone, Debug, thiserror::Error)]
#[error("gibberish")]
struct Gibberish;

/// `depth` deferreds, each one's only callback returning the next one:
/// the outermost handle and every trigger, outermost first.
fn nest(depth: usize) -> (Deferred<u64>, Vec<Trigger<u64>>) {
    let (mut next, innermost) = deferred::<u64>();
    let mut triggers = vec![innermost];
    for _ in 0..depth {
        let (d, trigger) = deferred::<u64>();
        let inner = next;
        next = d.add_callback(move |_| inner);
        triggers.push(trigger);
    }
    triggers.reverse();
    (next, triggers)
}

/// Fires every deferred of a nest but the innermost, outermost first, so
/// each waits for the next: a chain of waits `depth` long.
fn waiting_nest(depth: usize) -> (Deferred<u64>, Trigger<u64>) {
    let (outermost, mut triggers) = nest(depth);
    let innermost = triggers.pop().expect("at least one");
    for trigger in &triggers {
        trigger.callback(0).expect("each fires once");
    }
    (outermost, innermost)
}

#[test]
fn a_million_nested_deferreds_resolve_without_growing_the_stack() {
    on_small_stack(|| {
        let (outermost, innermost) = waiting_nest(DEEP);
        let got = Rc::new(Cell::new(None));
        let out = Rc::clone(&got);
        let _end = outermost.add_callback(move |n| out.set(Some(n)));
        assert_eq!(got.get(), None, "every level waits");
        innermost.callback(7).unwrap();
        assert_eq!(got.get(), Some(7), "the innermost result reached the top");
    });
}

#[test]
fn cancelling_the_top_of_a_million_waits_cancels_the_bottom() {
    on_small_stack(|| {
        let (outermost, innermost) = waiting_nest(DEEP);
        let handle = outermost.cancel_handle();
        let got = Rc::new(RefCell::new(String::new()));
        let out = Rc::clone(&got);
        let _end = outermost.add_errback(move |failure| {
            *out.borrow_mut() = failure.short_type_name().to_string();
            Ok(0)
        });
        handle.cancel();
        assert_eq!(*got.borrow(), "CancelledError");
        assert!(
            innermost.is_called(),
            "the innermost deferred was cancelled"
        );
    });
}

#[test]
fn dropping_a_million_waiting_deferreds_does_not_recurse() {
    on_small_stack(|| {
        let (outermost, innermost) = waiting_nest(DEEP);
        drop(outermost);
        // The innermost holds the next one out, which holds the next...
        drop(innermost);
    });
}

#[test]
fn dropping_the_head_of_a_million_unfired_deferreds_does_not_recurse() {
    on_small_stack(|| {
        let (outermost, triggers) = nest(DEEP);
        drop(triggers);
        // Each callback holds the next deferred: one drop frees them all.
        drop(outermost);
    });
}

/// Counts its own drops.
struct Counted(Rc<Cell<usize>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn an_inner_deferred_that_can_never_fire_frees_its_outer_one() {
    let drops = Rc::new(Cell::new(0));
    let (outer, outer_trigger) = deferred::<u8>();
    let (inner, inner_trigger) = deferred::<u8>();
    let captured = Counted(Rc::clone(&drops));
    let end = outer.add_callback(move |_| inner).add_callback(move |n| {
        let _keep = &captured;
        Ok(n)
    });
    outer_trigger.callback(1).unwrap();
    drop((end, outer_trigger));
    assert_eq!(drops.get(), 0, "the inner deferred may still fire");
    drop(inner_trigger);
    assert_eq!(drops.get(), 1, "nobody can fire it now: both are freed");
}

#[test]
fn an_outer_deferred_nobody_holds_still_runs_when_its_inner_one_fires() {
    let got = Rc::new(Cell::new(0));
    let (outer, outer_trigger) = deferred::<u8>();
    let (inner, inner_trigger) = deferred::<u8>();
    let out = Rc::clone(&got);
    let _ = outer
        .add_callback(move |_| inner)
        .add_callback(move |n| out.set(n));
    outer_trigger.callback(1).unwrap();
    drop(outer_trigger);
    inner_trigger.callback(5).unwrap();
    assert_eq!(got.get(), 5, "the inner deferred kept the outer one alive");
}

#[test]
fn cancelling_a_wait_for_a_deferred_nobody_can_fire_fails_at_once() {
    let (outer, outer_trigger) = deferred::<u8>();
    let (inner, inner_trigger) = deferred::<u8>();
    let outer = outer.add_callback(move |_| inner);
    outer_trigger.callback(1).unwrap();
    drop(inner_trigger);
    let got = Rc::new(Cell::new(false));
    let out = Rc::clone(&got);
    let handle = outer.cancel_handle();
    let _end = outer.add_errback(move |failure| {
        out.set(failure.check::<CancelledError>());
        Ok(0)
    });
    handle.cancel();
    assert!(got.get());
}

#[test]
fn one_failure_reaches_three_waiters() {
    let failure = Failure::new(Gibberish);
    let seen = Rc::new(RefCell::new(Vec::new()));
    for _ in 0..3 {
        let (waiter, trigger) = deferred::<u8>();
        let (original, seen) = (failure.clone(), Rc::clone(&seen));
        let _end = waiter.add_errback(move |got: Failure| {
            seen.borrow_mut()
                .push(got.same_as(&original) && got.trap::<Gibberish>().is_ok());
            Ok(0)
        });
        trigger.errback(failure.clone()).unwrap();
    }
    assert_eq!(*seen.borrow(), [true, true, true]);
}

#[test]
fn a_panicking_callback_is_named_by_its_own_place_and_keeps_its_message() {
    let seen = Rc::new(RefCell::new(None));
    let out = Rc::clone(&seen);
    let line = line!() + 2;
    let _end = succeed(1u8)
        .add_callback(|_| -> Result<u8, Failure> { panic!("the poem is too long") })
        .add_errback(move |failure| {
            *out.borrow_mut() = Some(failure);
            Ok(0)
        });
    let failure = seen.borrow_mut().take().expect("the errback ran");
    assert_eq!(
        (failure.location().file(), failure.location().line()),
        (file!(), line)
    );
    assert_eq!(
        failure.message(),
        "a callback panicked: the poem is too long"
    );
    assert_eq!(
        failure.trap::<Panicked>().unwrap().0,
        "the poem is too long"
    );
}

#[test]
fn maybe_deferred_keeps_a_panics_message_and_names_its_caller() {
    let line = line!() + 1;
    let d = maybe_deferred(|| -> Result<u8, Failure> { panic!("no poem today") });
    let seen = Rc::new(RefCell::new(None));
    let out = Rc::clone(&seen);
    let _end = d.add_errback(move |failure| {
        *out.borrow_mut() = Some(failure);
        Ok(0)
    });
    let failure = seen.borrow_mut().take().expect("the errback ran");
    assert_eq!(failure.location().line(), line);
    assert_eq!(failure.trap::<Panicked>().unwrap().0, "no poem today");
}

// ANCHOR: chain_pitfalls
#[test]
fn chain_deferred_passes_the_outcome_on_and_keeps_unit() {
    let (first, first_trigger) = deferred::<&str>();
    let (second, second_trigger) = deferred::<&str>();
    let got = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = (Rc::clone(&got), Rc::clone(&got));
    let _second_end =
        second.add_callback(move |poem| a.borrow_mut().push(format!("second: {poem}")));
    let _first_end = first
        .chain_deferred(second_trigger)
        // The outcome went to the second deferred: what is left here is ().
        .add_callback(move |()| b.borrow_mut().push("first: ()".to_string()));
    first_trigger.callback("hey").unwrap();
    assert_eq!(*got.borrow(), ["second: hey", "first: ()"]);
}

#[test]
fn chaining_into_a_deferred_that_has_fired_loses_the_outcome() {
    let (first, first_trigger) = deferred::<&str>();
    let (second, second_trigger) = deferred::<&str>();
    second_trigger.callback("fired already").unwrap();
    let got = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = (Rc::clone(&got), Rc::clone(&got));
    let _second_end = second.add_callback(move |poem| a.borrow_mut().push(poem.to_string()));
    let _first_end = first
        .chain_deferred(second_trigger)
        .add_errback(move |failure| {
            b.borrow_mut().push(format!("first: {}", failure.message()));
            Ok(())
        });
    first_trigger.callback("hey").unwrap();
    // "hey" went nowhere: the second deferred kept its own result.
    assert_eq!(
        *got.borrow(),
        ["fired already", &format!("first: {AlreadyCalled}")]
    );
}
// ANCHOR_END: chain_pitfalls

#[test]
fn a_cancelled_chain_fails_the_chained_deferred_without_calling_its_canceller() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    let (first, _first_trigger) = deferred::<u8>();
    let (second, second_trigger) =
        Deferred::<u8>::with_canceller(move |_| l.borrow_mut().push("second's canceller"));
    let l = Rc::clone(&log);
    let _second_end = second.add_errback(move |failure| {
        l.borrow_mut().push(failure.short_type_name());
        Ok(0)
    });
    let handle = first.cancel_handle();
    let _first_end = first.chain_deferred(second_trigger);
    handle.cancel();
    assert_eq!(*log.borrow(), ["CancelledError"]);
}

#[test]
fn a_failure_shared_by_waiters_is_reported_by_each_that_leaves_it_unhandled() {
    let reports = Rc::new(Cell::new(0));
    let count = Rc::clone(&reports);
    let _guard = on_unhandled(move |_| count.set(count.get() + 1));
    let failure = Failure::new(Gibberish);
    for _ in 0..2 {
        let (waiter, trigger) = deferred::<u8>();
        trigger.errback(failure.clone()).unwrap();
        drop(waiter);
    }
    assert_eq!(reports.get(), 2);
}
