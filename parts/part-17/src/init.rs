//! Asynchronous initialisation: an object whose set-up takes a round trip.
//!
//! A constructor cannot wait. If making a poem index means downloading its
//! table of contents first, `PoemIndex::new` returns before the download
//! has ended, and a method called on the new object too soon finds it half
//! made. Two answers:
//!
//! - **Deferred initialisation** ([`AsyncInit`]), the essays' answer for a
//!   language whose constructors must return at once: the object exists
//!   from the start, and every call made before its set-up has finished
//!   returns a deferred that waits for the set-up, then runs. Callers need
//!   not know whether the object was ready; they get a deferred either way.
//! - **An async constructor**, the Rust idiom: `async fn open(…) ->
//!   Result<Self, _>` does the set-up and returns the object only when it
//!   is ready, so a half-made object cannot be named, let alone called.
//!   Use it whenever you can; `AsyncInit` is for the object that must be
//!   handed out before it is ready (a field of something built at once, a
//!   service registered at start-up).
//!
//! `AsyncInit`'s rules:
//!
//! - a call made before the set-up has finished waits; waiting calls run
//!   in the order they were made, as soon as the set-up succeeds;
//! - a call made after runs at once;
//! - if the set-up fails, every waiting call, and every call made later,
//!   fails with [`InitFailed`], carrying the set-up's failure: a broken
//!   object says so every time it is asked, rather than hanging;
//! - cancelling a waiting call takes it out of the line: it never runs.
//!   Cancelling [`AsyncInit::ready`]'s deferred gives up that one wait;
//!   the set-up goes on for the others.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use part_07::{Deferred, Failure, IntoStep, Trigger, fail, succeed};

/// What calls to an object whose set-up failed fail with.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the object's set-up failed: {}", .0.message())]
pub struct InitFailed(pub Failure);

// ANCHOR: async_init
/// An object of type `T` whose set-up is a deferred: calls made before it
/// is ready wait for it (see the [module](self) for the rules).
pub struct AsyncInit<T>(Rc<Inner<T>>);

enum State<T> {
    /// Set-up under way; these calls wait for it, in order.
    Setting(Vec<(u64, Trigger<Rc<T>>)>),
    /// Ready to use.
    Ready(Rc<T>),
    /// The set-up failed.
    Failed(Failure),
}
// ANCHOR_END: async_init

struct Inner<T> {
    state: RefCell<State<T>>,
    next: Cell<u64>,
}

impl<T> Clone for AsyncInit<T> {
    fn clone(&self) -> AsyncInit<T> {
        AsyncInit(Rc::clone(&self.0))
    }
}

impl<T: 'static> AsyncInit<T> {
    /// An object that will be ready when `setup` fires with it.
    pub fn new(setup: Deferred<T>) -> AsyncInit<T> {
        let inner = Rc::new(Inner {
            state: RefCell::new(State::Setting(Vec::new())),
            next: Cell::new(0),
        });
        let settle = Rc::clone(&inner);
        let _ = setup.add_both(move |outcome: Result<T, Failure>| settle.settle(outcome));
        AsyncInit(inner)
    }

    // ANCHOR: call
    /// Calls `method` on the object: at once if it is ready, after its
    /// set-up if not. Either way the caller gets a deferred.
    pub fn call<U, R>(&self, method: impl FnOnce(&T) -> R + 'static) -> Deferred<U>
    where
        U: 'static,
        R: IntoStep<U>,
    {
        self.object()
            .add_callback(move |object: Rc<T>| method(&object))
    }

    /// A deferred of the ready object: fired already if it is ready, failed
    /// already if its set-up failed, and otherwise a place in the line.
    pub fn object(&self) -> Deferred<Rc<T>> {
        let number = self.0.next.get();
        self.0.next.set(number + 1);
        let mut state = self.0.state.borrow_mut();
        match &mut *state {
            State::Ready(object) => succeed(Rc::clone(object)),
            State::Failed(failure) => fail(InitFailed(failure.clone())),
            State::Setting(waiting) => {
                let inner = Rc::downgrade(&self.0);
                let (wait, trigger) = Deferred::with_canceller(move |_: &Trigger<Rc<T>>| {
                    if let Some(inner) = inner.upgrade() {
                        inner.leave(number);
                    }
                });
                waiting.push((number, trigger));
                wait
            }
        }
    }
    // ANCHOR_END: call

    /// A deferred that fires with `()` when the object is ready (or fails
    /// with [`InitFailed`]).
    pub fn ready(&self) -> Deferred<()> {
        self.object().add_callback(|_: Rc<T>| Ok(()))
    }

    /// Whether the set-up has succeeded.
    pub fn is_ready(&self) -> bool {
        matches!(*self.0.state.borrow(), State::Ready(_))
    }

    /// How many calls are waiting for the set-up.
    pub fn waiting(&self) -> usize {
        match &*self.0.state.borrow() {
            State::Setting(waiting) => waiting.len(),
            _ => 0,
        }
    }
}

impl<T: 'static> Inner<T> {
    // ANCHOR: settle
    /// The set-up has ended: change state first, then let the waiting calls
    /// run, in order, outside the borrow (a call may call the object).
    fn settle(&self, outcome: Result<T, Failure>) {
        let next = match outcome {
            Ok(object) => State::Ready(Rc::new(object)),
            Err(failure) => State::Failed(failure),
        };
        let waiting = match std::mem::replace(&mut *self.state.borrow_mut(), next) {
            State::Setting(waiting) => waiting,
            _ => Vec::new(),
        };
        let outcome = match &*self.state.borrow() {
            State::Ready(object) => Ok(Rc::clone(object)),
            State::Failed(failure) => Err(failure.clone()),
            State::Setting(_) => unreachable!("just replaced"),
        };
        for (_, trigger) in waiting {
            // A call cancelled meanwhile has fired already: skipped.
            let _ = match &outcome {
                Ok(object) => trigger.callback(Rc::clone(object)),
                Err(failure) => trigger.errback(InitFailed(failure.clone())),
            };
        }
    }
    // ANCHOR_END: settle

    /// Waiting call `number` was cancelled: it leaves the line.
    fn leave(&self, number: u64) {
        if let State::Setting(waiting) = &mut *self.state.borrow_mut() {
            waiting.retain(|(n, _)| *n != number);
        }
    }
}

impl<T> fmt::Debug for AsyncInit<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &*self.0.state.borrow() {
            State::Setting(waiting) => format!("setting up, {} waiting", waiting.len()),
            State::Ready(_) => "ready".to_string(),
            State::Failed(failure) => format!("failed: {}", failure.message()),
        };
        write!(f, "AsyncInit {{ {state} }}")
    }
}
