//! The `Deferred`: one chain of callbacks and errbacks, fired once.
//!
//! A deferred stands for a result that is not there yet. Whoever will
//! produce the result keeps the [`Trigger`]; whoever wants it adds callbacks
//! (for a result) and errbacks (for a [`Failure`]) to the [`Deferred`]. When
//! the trigger fires, the result travels down the chain: each callback's
//! return value is the next one's input, a callback that fails moves the chain
//! to the errback side, an errback that recovers moves it back.
//!
//! Typed from end to end: `add_callback` on a `Deferred<T>` takes an
//! `FnOnce(T)` and returns a `Deferred<U>`, so the compiler checks that each
//! callback takes what the one before it returns. Adding a callback consumes
//! the handle it was added to, which keeps one typed view of the chain at a
//! time; the trigger keeps the type of the chain's *start*.
//!
//! The sections below follow the parts that teach them: the chain (part 7
//! and 9), a callback that returns a deferred (part 13), pause and unpause,
//! `succeed`, `fail` and `maybe_deferred` (part 14), cancellation (part 19).

use std::any::Any;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use crate::failure::{CancelledError, Failure, Panicked};

/// A value travelling down the chain, its type erased (the typed handles
/// guarantee what it really is).
type Value = Box<dyn Any>;
/// What travels down the chain: a value, or a failure.
type Outcome = Result<Value, Failure>;

/// What a step of the chain produced: an outcome for the next step, or an
/// inner deferred to wait for (part 13).
enum Next {
    Now(Outcome),
    Wait(Rc<Core>),
}

/// One callback/errback pair, type-erased: it chooses its side itself.
type Step = Box<dyn FnOnce(Outcome) -> Next>;

/// What a canceller is given: the deferred's own core, to fire if it likes.
type Canceller = Box<dyn FnOnce(&Rc<Core>)>;

/// Why a deferred could not be fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the deferred has already been called")]
pub struct AlreadyCalled;

/// The chain itself, shared by every handle on it.
struct Core {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// Fired (by a trigger, or by cancellation)?
    called: bool,
    /// The current result: `None` before firing, and while it is being
    /// handed to a step, or is waited for in an inner deferred.
    result: Option<Outcome>,
    /// The steps not yet run.
    steps: VecDeque<Step>,
    /// Pauses in force by `pause` (part 14). Waiting for an inner deferred
    /// is counted apart, in `waiting_on`, so that an `unpause` too many can
    /// never end the wait early or upset it.
    paused: usize,
    /// Whether the steps are being run right now (re-entrancy guard).
    running: bool,
    /// The inner deferred this one is waiting for, if any (part 19: cancel
    /// passes to it).
    waiting_on: Option<Rc<Core>>,
    /// Given at creation; called by `cancel` before the deferred has fired.
    canceller: Option<Canceller>,
    /// Cancelled without a canceller: the next firing is ignored, once.
    suppress_already_called: bool,
}

impl Core {
    fn new(canceller: Option<Canceller>) -> Rc<Core> {
        Rc::new(Core {
            state: RefCell::new(State {
                canceller,
                ..State::default()
            }),
        })
    }
}

// ANCHOR: fire
/// Fires the chain with its first result.
fn fire(core: &Rc<Core>, outcome: Outcome) -> Result<(), AlreadyCalled> {
    {
        let mut state = core.state.borrow_mut();
        if state.called {
            if state.suppress_already_called {
                // Cancelled earlier: the late result is not wanted (part 19).
                state.suppress_already_called = false;
                return Ok(());
            }
            return Err(AlreadyCalled);
        }
        state.called = true;
        state.result = Some(outcome);
    }
    // Fired: nothing left to cancel. Drop the canceller now (outside the
    // borrow), so whatever it holds is not kept alive by the deferred.
    let canceller = core.state.borrow_mut().canceller.take();
    drop(canceller);
    run(core);
    Ok(())
}
// ANCHOR_END: fire

/// Adds a step; if the deferred has fired already, it runs now.
fn add_step(core: &Rc<Core>, step: Step) {
    core.state.borrow_mut().steps.push_back(step);
    run(core);
}

// ANCHOR: run
/// Runs the steps, one after another, each with the previous one's outcome,
/// until none is left, the chain is paused, or it waits for an inner deferred.
fn run(core: &Rc<Core>) {
    {
        let mut state = core.state.borrow_mut();
        if state.running {
            return; // a step added a step, or fired an inner deferred: the loop below goes on
        }
        state.running = true;
    }
    loop {
        let (step, input) = {
            let mut state = core.state.borrow_mut();
            let held = state.paused > 0 || state.waiting_on.is_some();
            if held || state.result.is_none() || state.steps.is_empty() {
                break;
            }
            let step = state.steps.pop_front().expect("checked above");
            let input = state.result.take().expect("checked above");
            (step, input)
        };
        // No borrow is held while user code runs: a callback may use this
        // very deferred (add callbacks, pause it, cancel it).
        match call_step(step, input) {
            Next::Now(outcome) => core.state.borrow_mut().result = Some(outcome),
            Next::Wait(inner) => wait_for(core, inner),
        }
    }
    core.state.borrow_mut().running = false;
}
// ANCHOR_END: run

/// Calls one step, turning a panic into a failure.
fn call_step(step: Step, input: Outcome) -> Next {
    match panic::catch_unwind(AssertUnwindSafe(move || step(input))) {
        Ok(next) => next,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_string());
            Next::Now(Err(Failure::new(Panicked(message))))
        }
    }
}

// ANCHOR: nested
/// Part 13: a step returned a deferred. The outer chain pauses; when the
/// inner one fires, its result (or failure) becomes the outer chain's, and
/// the outer chain goes on.
fn wait_for(outer: &Rc<Core>, inner: Rc<Core>) {
    if Rc::ptr_eq(outer, &inner) {
        let failure = Failure::msg("a callback returned the deferred it belongs to");
        outer.state.borrow_mut().result = Some(Err(failure));
        return;
    }
    {
        let mut state = outer.state.borrow_mut();
        state.waiting_on = Some(Rc::clone(&inner));
    }
    let resume = Rc::clone(outer);
    add_step(
        &inner,
        Box::new(move |outcome| {
            {
                let mut state = resume.state.borrow_mut();
                state.result = Some(outcome);
                state.waiting_on = None;
            }
            run(&resume);
            // The result has moved to the outer chain; the inner keeps none
            // (so it reports no unhandled failure of its own).
            Next::Now(Ok(Box::new(())))
        }),
    );
}
// ANCHOR_END: nested

// ANCHOR: unhandled
impl Drop for Core {
    /// The last handle is gone. If the chain ended in a failure that no
    /// errback handled, nobody will ever see it: say so.
    fn drop(&mut self) {
        let state = self.state.get_mut();
        if let Some(Err(failure)) = state.result.take() {
            report_unhandled(&failure);
        }
    }
}
// ANCHOR_END: unhandled

/// How unhandled failures are reported, when not on standard error.
type Reporter = Box<dyn FnMut(&Failure)>;

thread_local! {
    static UNHANDLED: RefCell<Option<Reporter>> = const { RefCell::new(None) };
}

fn report_unhandled(failure: &Failure) {
    let reporter = UNHANDLED.with(|slot| slot.borrow_mut().take());
    match reporter {
        Some(mut reporter) => {
            reporter(failure);
            UNHANDLED.with(|slot| {
                let mut slot = slot.borrow_mut();
                if slot.is_none() {
                    *slot = Some(reporter);
                }
            });
        }
        None => eprintln!("Unhandled error in Deferred: {failure}"),
    }
}

/// Replaces, on this thread, how an unhandled failure is reported (by
/// default: `Unhandled error in Deferred: …` on standard error) until the
/// returned guard is dropped. For tests, and for programs that log.
pub fn on_unhandled(reporter: impl FnMut(&Failure) + 'static) -> UnhandledGuard {
    let previous = UNHANDLED.with(|slot| slot.borrow_mut().replace(Box::new(reporter)));
    UnhandledGuard { previous }
}

/// Restores the previous unhandled-failure reporter when dropped.
pub struct UnhandledGuard {
    previous: Option<Reporter>,
}

impl Drop for UnhandledGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        UNHANDLED.with(|slot| *slot.borrow_mut() = previous);
    }
}

/// What a callback or errback may return: a new result, a failure, or a
/// deferred to wait for. Implemented for `Result<U, Failure>` (return
/// `Ok(value)` or `Err(failure)`; `?` works), for `Deferred<U>` (part 13),
/// and for `()` (a callback that only does something).
pub trait IntoStep<U> {
    /// Turns the return value into what the chain carries next.
    #[doc(hidden)]
    fn into_next(self) -> NextStep;
}

/// What a callback's return value becomes (opaque).
#[doc(hidden)]
pub struct NextStep(Next);

impl<U: 'static> IntoStep<U> for Result<U, Failure> {
    fn into_next(self) -> NextStep {
        NextStep(Next::Now(self.map(|value| Box::new(value) as Value)))
    }
}

// ANCHOR: into_step
impl<U: 'static> IntoStep<U> for Deferred<U> {
    fn into_next(self) -> NextStep {
        NextStep(Next::Wait(self.core))
    }
}
// ANCHOR_END: into_step

impl IntoStep<()> for () {
    fn into_next(self) -> NextStep {
        NextStep(Next::Now(Ok(Box::new(()))))
    }
}

// ANCHOR: deferred
/// The receiving end of a result that is not there yet: add callbacks and
/// errbacks to it. `T` is the type the next callback added will receive.
#[must_use = "the chain goes on through this handle: dropping it leaves no way to add an errback"]
pub struct Deferred<T> {
    core: Rc<Core>,
    _type: PhantomData<fn(T)>,
}

/// The producing end: fire the chain, once, with a result or a failure.
/// Cheap to clone; every clone fires the same chain.
pub struct Trigger<T> {
    core: Rc<Core>,
    _type: PhantomData<fn(T)>,
}

/// A new, unfired deferred and the trigger that fires it.
pub fn deferred<T: 'static>() -> (Deferred<T>, Trigger<T>) {
    let core = Core::new(None);
    (
        Deferred::from_core(Rc::clone(&core)),
        Trigger::from_core(core),
    )
}
// ANCHOR_END: deferred

impl<T: 'static> Trigger<T> {
    fn from_core(core: Rc<Core>) -> Trigger<T> {
        Trigger {
            core,
            _type: PhantomData,
        }
    }

    // ANCHOR: trigger
    /// Fires the chain with a result. Firing a deferred that has fired
    /// already, either way, is an error.
    pub fn callback(&self, value: T) -> Result<(), AlreadyCalled> {
        fire(&self.core, Ok(Box::new(value)))
    }

    /// Fires the chain with a failure (any error becomes one).
    #[track_caller]
    pub fn errback(&self, failure: impl Into<Failure>) -> Result<(), AlreadyCalled> {
        fire(&self.core, Err(failure.into()))
    }
    // ANCHOR_END: trigger

    /// Whether the deferred has fired (or was cancelled).
    pub fn is_called(&self) -> bool {
        self.core.state.borrow().called
    }
}

impl<T> Clone for Trigger<T> {
    fn clone(&self) -> Trigger<T> {
        Trigger {
            core: Rc::clone(&self.core),
            _type: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Trigger<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Trigger {{ {} }}", describe(&self.core))
    }
}

impl<T> fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Deferred {{ {} }}", describe(&self.core))
    }
}

fn describe(core: &Core) -> String {
    let state = core.state.borrow();
    let result = match &state.result {
        None if state.called => "waiting",
        None => "unfired",
        Some(Ok(_)) => "result",
        Some(Err(_)) => "failure",
    };
    // Waiting for an inner deferred counts as one pause, as in Twisted.
    format!(
        "{result}, {} step(s) to run, paused {}",
        state.steps.len(),
        state.paused + usize::from(state.waiting_on.is_some())
    )
}

impl<T: 'static> Deferred<T> {
    fn from_core(core: Rc<Core>) -> Deferred<T> {
        Deferred {
            core,
            _type: PhantomData,
        }
    }

    // ANCHOR: add_callbacks
    /// Adds a callback/errback pair: `callback` gets the result if the chain
    /// arrives here with one, `errback` the failure if it arrives with a
    /// failure. Whichever runs, what it returns goes on to the next pair.
    pub fn add_callbacks<U, R1, R2>(
        self,
        callback: impl FnOnce(T) -> R1 + 'static,
        errback: impl FnOnce(Failure) -> R2 + 'static,
    ) -> Deferred<U>
    where
        U: 'static,
        R1: IntoStep<U>,
        R2: IntoStep<U>,
    {
        add_step(
            &self.core,
            Box::new(move |outcome| match outcome {
                Ok(value) => callback(take::<T>(value)).into_next().0,
                Err(failure) => errback(failure).into_next().0,
            }),
        );
        Deferred::from_core(self.core)
    }
    // ANCHOR_END: add_callbacks

    /// Adds a callback; a failure passes it by, to the next errback.
    pub fn add_callback<U: 'static, R: IntoStep<U>>(
        self,
        callback: impl FnOnce(T) -> R + 'static,
    ) -> Deferred<U> {
        self.add_callbacks(callback, Err::<U, Failure>)
    }

    /// Adds an errback; a result passes it by, to the next callback. An
    /// errback that returns `Ok` recovers: the chain goes on with a result.
    pub fn add_errback<R: IntoStep<T>>(
        self,
        errback: impl FnOnce(Failure) -> R + 'static,
    ) -> Deferred<T> {
        self.add_callbacks(Ok::<T, Failure>, errback)
    }

    /// Adds the same function as callback and errback: it gets the result
    /// or the failure, as a `Result`.
    pub fn add_both<U: 'static, R: IntoStep<U>>(
        self,
        both: impl FnOnce(Result<T, Failure>) -> R + 'static,
    ) -> Deferred<U> {
        add_step(
            &self.core,
            Box::new(move |outcome| both(outcome.map(take::<T>)).into_next().0),
        );
        Deferred::from_core(self.core)
    }

    /// Whether the deferred has fired (or was cancelled).
    pub fn is_called(&self) -> bool {
        self.core.state.borrow().called
    }

    // ANCHOR: pause
    /// Part 14: stops running callbacks until [`unpause`](Deferred::unpause)
    /// is called as often as `pause` was. Firing a paused deferred stores the
    /// result; the callbacks run when it is unpaused.
    pub fn pause(&self) {
        self.core.state.borrow_mut().paused += 1;
    }

    /// Part 14: undoes one [`pause`](Deferred::pause), and runs the callbacks
    /// that are waiting if no pause is left.
    pub fn unpause(&self) {
        {
            let mut state = self.core.state.borrow_mut();
            state.paused = state.paused.saturating_sub(1);
        }
        run(&self.core);
    }
    // ANCHOR_END: pause

    /// A handle for cancelling this deferred later, from anywhere (part 19).
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle {
            core: Rc::clone(&self.core),
        }
    }

    /// Part 19: says the result is no longer wanted. See [`CancelHandle::cancel`].
    pub fn cancel(&self) {
        cancel(&self.core);
    }
}

/// The value inside, as the type the typed handles promise.
fn take<T: 'static>(value: Value) -> T {
    match value.downcast::<T>() {
        Ok(value) => *value,
        Err(_) => unreachable!("the typed handles keep every value's type"),
    }
}

// ANCHOR: succeed
/// Part 14: a deferred that has fired already, with `value`. Callbacks
/// added to it run at once.
pub fn succeed<T: 'static>(value: T) -> Deferred<T> {
    let (deferred, trigger) = deferred();
    let _ = trigger.callback(value);
    deferred
}

/// Part 14: a deferred that has failed already.
#[track_caller]
pub fn fail<T: 'static>(failure: impl Into<Failure>) -> Deferred<T> {
    let failure = failure.into();
    let (deferred, trigger) = deferred();
    let _ = trigger.errback(failure);
    deferred
}

/// Part 14: calls `f`, which may return a result, a failure or a deferred
/// (or panic), and always gives back a deferred: callers need not care
/// whether the answer was ready at once.
pub fn maybe_deferred<T: 'static, R: IntoStep<T>>(f: impl FnOnce() -> R) -> Deferred<T> {
    let next = match panic::catch_unwind(AssertUnwindSafe(|| f().into_next().0)) {
        Ok(next) => next,
        Err(_) => Next::Now(Err(Failure::new(Panicked(
            "maybe_deferred's function".into(),
        )))),
    };
    match next {
        Next::Wait(core) => Deferred::from_core(core),
        Next::Now(outcome) => {
            let core = Core::new(None);
            let _ = fire(&core, outcome);
            Deferred::from_core(core)
        }
    }
}
// ANCHOR_END: succeed

// ANCHOR: cancel
impl<T: 'static> Deferred<T> {
    /// Part 19: a new deferred with a canceller: a function that
    /// [`cancel`](CancelHandle::cancel) calls, before the deferred has fired,
    /// to abort whatever would have fired it. The canceller gets the trigger
    /// and may fire the deferred itself; if it does not, the deferred fails
    /// with [`CancelledError`].
    pub fn with_canceller(
        canceller: impl FnOnce(&Trigger<T>) + 'static,
    ) -> (Deferred<T>, Trigger<T>) {
        let core = Core::new(Some(Box::new(move |core: &Rc<Core>| {
            canceller(&Trigger::from_core(Rc::clone(core)))
        })));
        (
            Deferred::from_core(Rc::clone(&core)),
            Trigger::from_core(core),
        )
    }
}

/// Untyped, cloneable access to a deferred, for cancelling it (part 19).
#[derive(Clone)]
pub struct CancelHandle {
    core: Rc<Core>,
}

impl CancelHandle {
    /// Says the result is no longer wanted.
    ///
    /// - Not fired yet: the canceller (if any) is called; then, unless it
    ///   fired the deferred itself, the deferred fails with
    ///   [`CancelledError`]. Without a canceller, the firing that comes later
    ///   anyway is ignored (once), rather than an [`AlreadyCalled`] error.
    /// - Fired, but waiting for an inner deferred (part 13): the inner one is
    ///   cancelled.
    /// - Fired, and not waiting: nothing happens.
    pub fn cancel(&self) {
        cancel(&self.core);
    }
}

fn cancel(core: &Rc<Core>) {
    let (called, waiting_on) = {
        let state = core.state.borrow();
        (state.called, state.waiting_on.clone())
    };
    if called {
        if let Some(inner) = waiting_on {
            cancel(&inner);
        }
        return;
    }
    let canceller = {
        let mut state = core.state.borrow_mut();
        let canceller = state.canceller.take();
        if canceller.is_none() {
            state.suppress_already_called = true;
        }
        canceller
    };
    if let Some(canceller) = canceller {
        canceller(core);
    }
    if !core.state.borrow().called {
        let _ = fire(core, Err(Failure::new(CancelledError)));
    }
}
// ANCHOR_END: cancel
