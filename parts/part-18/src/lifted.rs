//! Functions lifted over deferreds: write `reformat(cleanup(fetch()))`
//! and let the chain build itself.
//!
//! Code that uses deferreds reads inside out: the first thing that happens
//! is the innermost call, then `add_callback(cleanup)`, then
//! `add_callback(reformat)`, and when two results are needed at once, a
//! list to wait for both. The essays' idea is to treat a deferred as if it
//! *were* its result, and to *lift* each plain function so that it accepts
//! deferreds where it wanted values: [`lift1`] turns `fn(A) -> U` into
//! `fn(Deferred<A>) -> Deferred<U>`, [`lift2`] and [`lift3`] do the same
//! for two and three arguments. A lifted function is called once all its
//! arguments have fired, and its own deferred can be the argument of the
//! next one, so nested calls read like plain ones. (A plain value is an
//! argument too: wrap it with [`succeed`](part_07::succeed).)
//!
//! The failure rules, which are what makes the style safe:
//!
//! - a failed argument means the function is **not called**: its deferred
//!   fails with the argument's failure, which so passes through every
//!   lifted call above it, untouched, to whoever handles it;
//! - when several arguments fail, the **first to fail** is passed on; as
//!   soon as one fails, the arguments still running are **cancelled**
//!   (their result could no longer be used), and later failures end there;
//! - **cancelling** a lifted call's deferred cancels its arguments that
//!   have not fired, and so on down the nest;
//! - the function may itself fail (return `Err`) or return a deferred, as
//!   any callback may; [`recover`] lifts an errback, which is called only
//!   if its argument failed.

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{CancelHandle, Deferred, Failure, IntoStep, Trigger};

// ANCHOR: join2
/// Both values, or the first failure as soon as it happens (the other
/// argument is then cancelled). Cancelling the result cancels both.
pub fn join2<A: 'static, B: 'static>(a: Deferred<A>, b: Deferred<B>) -> Deferred<(A, B)> {
    let (cancel_a, cancel_b) = (a.cancel_handle(), b.cancel_handle());
    let (both, trigger) = Deferred::with_canceller({
        let (cancel_a, cancel_b) = (cancel_a.clone(), cancel_b.clone());
        move |_: &Trigger<(A, B)>| {
            cancel_a.cancel();
            cancel_b.cancel();
        }
    });
    let slots = Rc::new(RefCell::new((None, None)));
    argument(
        a,
        Rc::clone(&slots),
        |slots, a| slots.0 = Some(a),
        trigger.clone(),
        cancel_b,
    );
    argument(b, slots, |slots, b| slots.1 = Some(b), trigger, cancel_a);
    both
}

/// Argument `arg`'s step: its value goes in its slot with `fill`, and the
/// second value to arrive fires the call; its failure goes to
/// [`first_failure`].
fn argument<X: 'static, A: 'static, B: 'static>(
    arg: Deferred<X>,
    slots: Rc<RefCell<(Option<A>, Option<B>)>>,
    fill: fn(&mut (Option<A>, Option<B>), X),
    call: Trigger<(A, B)>,
    other: CancelHandle,
) {
    let _ = arg.add_both(move |outcome: Result<X, Failure>| match outcome {
        Ok(value) => {
            let ready = {
                let mut slots = slots.borrow_mut();
                fill(&mut slots, value);
                take_both(&mut slots)
            };
            if let Some(both) = ready {
                let _ = call.callback(both);
            }
        }
        Err(failure) => first_failure(&call, failure, &other),
    });
}
// ANCHOR_END: join2

/// Both values, once both slots are full.
fn take_both<A, B>(slots: &mut (Option<A>, Option<B>)) -> Option<(A, B)> {
    match slots {
        (Some(_), Some(_)) => Some((slots.0.take()?, slots.1.take()?)),
        _ => None,
    }
}

/// An argument failed: the first failure fails the call (a later one
/// finds the call fired, and ends here), and the other argument is
/// cancelled.
fn first_failure<T: 'static>(call: &Trigger<T>, failure: Failure, other: &CancelHandle) {
    if call.is_called() {
        return;
    }
    let _ = call.errback(failure);
    other.cancel();
}

// ANCHOR: lift
/// Lifts `f` over one deferred argument.
pub fn lift1<A, U, R>(f: impl Fn(A) -> R + 'static) -> impl Fn(Deferred<A>) -> Deferred<U>
where
    A: 'static,
    U: 'static,
    R: IntoStep<U>,
{
    let f = Rc::new(f);
    move |a| {
        let f = Rc::clone(&f);
        a.add_callback(move |a| f(a))
    }
}

/// Lifts `f` over two deferred arguments.
pub fn lift2<A, B, U, R>(
    f: impl Fn(A, B) -> R + 'static,
) -> impl Fn(Deferred<A>, Deferred<B>) -> Deferred<U>
where
    A: 'static,
    B: 'static,
    U: 'static,
    R: IntoStep<U>,
{
    let f = Rc::new(f);
    move |a, b| {
        let f = Rc::clone(&f);
        join2(a, b).add_callback(move |(a, b)| f(a, b))
    }
}
// ANCHOR_END: lift

/// Lifts `f` over three deferred arguments.
pub fn lift3<A, B, C, U, R>(
    f: impl Fn(A, B, C) -> R + 'static,
) -> impl Fn(Deferred<A>, Deferred<B>, Deferred<C>) -> Deferred<U>
where
    A: 'static,
    B: 'static,
    C: 'static,
    U: 'static,
    R: IntoStep<U>,
{
    let f = Rc::new(f);
    move |a, b, c| {
        let f = Rc::clone(&f);
        join2(join2(a, b), c).add_callback(move |((a, b), c)| f(a, b, c))
    }
}

// ANCHOR: recover
/// Lifts an errback: `f` is called only if the argument failed, and what
/// it returns replaces the failure; a value passes by untouched.
pub fn recover<T, R>(f: impl Fn(Failure) -> R + 'static) -> impl Fn(Deferred<T>) -> Deferred<T>
where
    T: 'static,
    R: IntoStep<T>,
{
    let f = Rc::new(f);
    move |a| {
        let f = Rc::clone(&f);
        a.add_errback(move |failure| f(failure))
    }
}
// ANCHOR_END: recover
