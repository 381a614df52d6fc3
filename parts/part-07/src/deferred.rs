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
//! No depth breaks it. A chain waiting for a chain waiting for a chain, a
//! million deep, is resumed, cancelled and dropped by loops, not by
//! recursion, so the stack does not grow with the nesting (Twisted's
//! `_runCallbacks` keeps a list of chains to resume for the same reason).
//!
//! The sections below follow the parts that teach them: the chain (part 7
//! and 9), a callback that returns a deferred (part 13), pause and unpause,
//! `succeed`, `fail` and `maybe_deferred` (part 14), `chain_deferred`,
//! and cancellation (part 19).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::Write;
use std::marker::PhantomData;
use std::panic::Location;
use std::rc::{Rc, Weak};

use part_03::report::catch_panic;
use smallbox::space::S4;
use smallbox::{SmallBox, smallbox};

use crate::failure::{CancelledError, Failure, Panicked};

/// A link of the chain, kept inline when it is small (up to four words).
type LinkBox = SmallBox<dyn Link, S4>;

/// Where a callback was added: a panic in it is reported from there.
type Place = &'static Location<'static>;

/// What a canceller is given: the deferred's own core, to fire if it likes.
type Canceller = Box<dyn FnOnce(&Rc<Core>)>;

/// Why a deferred could not be fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the deferred has already been called")]
pub struct AlreadyCalled;

// ANCHOR: link
/// One callback/errback pair of the chain, type-erased. Once it has run,
/// the same box holds what it returned, until the next link takes it: a
/// value travels down the chain without an allocation of its own.
trait Link {
    /// Runs the callback or the errback on the outcome `before` holds.
    /// Returns the inner deferred to wait for, if the callback returned one
    /// (part 13); otherwise this link now holds the outcome.
    fn call(&mut self, before: &mut dyn Link) -> Option<Rc<Core>>;
    /// The outcome this link holds, an `Option<Result<U, Failure>>`.
    fn outcome(&mut self) -> &mut dyn Any;
    /// Takes the failure this link holds, if it holds one.
    fn take_failure(&mut self) -> Option<Failure>;
    /// Whether this link holds a failure.
    fn holds_failure(&self) -> bool;
}
// ANCHOR_END: link

/// An outcome of type `T` on its way down the chain.
type Outcome<T> = Option<Result<T, Failure>>;

/// A link that only holds an outcome: what a trigger fires the chain with.
struct Held<T>(Outcome<T>);

/// A link that holds a failure of no particular type: a cancellation, or a
/// chain that waited for itself.
struct HeldFailure(Option<Failure>);

/// A callback/errback pair taking `T` and giving `U`, and then its outcome.
struct Step<F, T, U> {
    pair: Option<F>,
    outcome: Outcome<U>,
    added_at: Place,
    _takes: PhantomData<fn(T)>,
}

/// Takes the outcome `before` holds, as the `T` the typed handles promise.
fn take_outcome<T: 'static>(before: &mut dyn Link) -> Result<T, Failure> {
    if let Some(outcome) = before.outcome().downcast_mut::<Outcome<T>>()
        && let Some(outcome) = outcome.take()
    {
        return outcome;
    }
    match before.take_failure() {
        Some(failure) => Err(failure),
        None => unreachable!("the typed handles keep every value's type"),
    }
}

impl<T: 'static> Link for Held<T> {
    fn call(&mut self, _: &mut dyn Link) -> Option<Rc<Core>> {
        unreachable!("a held outcome is never queued as a step")
    }
    fn outcome(&mut self) -> &mut dyn Any {
        &mut self.0
    }
    fn take_failure(&mut self) -> Option<Failure> {
        take_failure(&mut self.0)
    }
    fn holds_failure(&self) -> bool {
        matches!(self.0, Some(Err(_)))
    }
}

impl Link for HeldFailure {
    fn call(&mut self, _: &mut dyn Link) -> Option<Rc<Core>> {
        unreachable!("a held failure is never queued as a step")
    }
    fn outcome(&mut self) -> &mut dyn Any {
        &mut self.0
    }
    fn take_failure(&mut self) -> Option<Failure> {
        self.0.take()
    }
    fn holds_failure(&self) -> bool {
        self.0.is_some()
    }
}

fn take_failure<T>(outcome: &mut Outcome<T>) -> Option<Failure> {
    match outcome.take() {
        Some(Err(failure)) => Some(failure),
        other => {
            *outcome = other;
            None
        }
    }
}

impl<F, T, U> Link for Step<F, T, U>
where
    F: FnOnce(Result<T, Failure>) -> NextStep<U>,
    T: 'static,
    U: 'static,
{
    fn call(&mut self, before: &mut dyn Link) -> Option<Rc<Core>> {
        let input = take_outcome::<T>(before);
        let pair = self.pair.take().expect("a step runs once");
        // A panic in the callback becomes a failure, named by the place the
        // callback was added.
        let next = catch_panic(move || pair(input).0).unwrap_or_else(|panic| {
            Next::Now(Err(Failure::at(Panicked(panic.message), self.added_at)))
        });
        match next {
            Next::Now(outcome) => {
                self.outcome = Some(outcome);
                None
            }
            Next::Wait(inner) => Some(inner),
        }
    }
    fn outcome(&mut self) -> &mut dyn Any {
        &mut self.outcome
    }
    fn take_failure(&mut self) -> Option<Failure> {
        take_failure(&mut self.outcome)
    }
    fn holds_failure(&self) -> bool {
        matches!(self.outcome, Some(Err(_)))
    }
}

/// What waits in a chain's queue.
enum Queued {
    /// A callback/errback pair.
    Link(LinkBox),
    /// Part 13: an outer deferred waits for this one's outcome.
    Resume(Rc<Core>),
}

/// The chain itself, shared by every handle on it.
struct Core {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// Fired (by a trigger, or by cancellation)?
    called: bool,
    /// The current outcome: `None` before firing, and while it is being
    /// handed to a step, or is waited for in an inner deferred.
    result: Option<LinkBox>,
    /// The steps not yet run, in order.
    steps: Vec<Queued>,
    /// Pauses in force by `pause` (part 14). Waiting for an inner deferred
    /// is counted apart, in `waiting_on`, so that an `unpause` too many can
    /// never end the wait early or upset it.
    paused: usize,
    /// Whether the steps are being run right now (re-entrancy guard).
    running: bool,
    /// The inner deferred this one is waiting for, if any (part 13). Weak:
    /// the inner one holds this one (to resume it), not the other way
    /// round, so an inner deferred that nobody can fire any more is freed,
    /// and frees this one with it. Cancel passes down it (part 19).
    waiting_on: Option<Weak<Core>>,
    /// Given at creation; called by `cancel` before the deferred has fired.
    canceller: Option<Canceller>,
    /// Cancelled without a canceller: the next firing is ignored, once.
    suppress_already_called: bool,
}

impl State {
    /// Whether the chain could run a step now, given one.
    fn can_run(&self) -> bool {
        self.result.is_some() && self.paused == 0 && self.waiting_on.is_none() && !self.running
    }
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
/// Fires the chain with its first outcome.
fn fire(core: &Rc<Core>, outcome: LinkBox) -> Result<(), AlreadyCalled> {
    let canceller = {
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
        state.canceller.take()
    };
    // Fired: nothing left to cancel. Drop the canceller now (outside the
    // borrow), so whatever it holds is not kept alive by the deferred.
    drop(canceller);
    run(core);
    Ok(())
}
// ANCHOR_END: fire

/// Adds a step; if the deferred has fired already, it runs now.
#[inline(always)]
fn add_step(core: &Rc<Core>, step: Queued) {
    let ready = {
        let mut state = core.state.borrow_mut();
        if state.steps.capacity() == 0 {
            state.steps = spare_queue();
        }
        state.steps.push(step);
        state.can_run()
    };
    if ready {
        run(core);
    }
}

// ANCHOR: run
/// Runs one chain's steps, each with the outcome the step before it left,
/// until none is left, the chain is paused, or it waits for an inner
/// deferred. Returns the outer chain it handed its outcome to, if it did
/// (part 13).
fn run_steps(core: &Rc<Core>) -> Option<Rc<Core>> {
    {
        let mut state = core.state.borrow_mut();
        if !state.can_run() {
            return None; // not fired, held, or already running further up
        }
        state.running = true;
    }
    let handed_to = loop {
        // Take every step queued so far, and the outcome the first needs.
        let (outcome, batch) = {
            let mut state = core.state.borrow_mut();
            let held = state.paused > 0 || state.waiting_on.is_some();
            if held || state.result.is_none() || state.steps.is_empty() {
                break None;
            }
            let outcome = state.result.take().expect("checked above");
            (outcome, std::mem::take(&mut state.steps))
        };
        // No borrow is held while they run: a callback may use this very
        // deferred (add callbacks, pause it, cancel it).
        if let Some(outer) = run_batch(core, outcome, batch) {
            break Some(outer);
        }
    };
    core.state.borrow_mut().running = false;
    handed_to
}
// ANCHOR_END: run

// ANCHOR: batch
/// Why a batch of steps stopped.
enum Stop {
    /// Every step ran.
    Done,
    /// A callback paused the chain.
    Paused,
    /// A callback returned this deferred: wait for it.
    Wait(Rc<Core>),
    /// The next step hands the outcome to an outer chain.
    Resume,
}

/// Runs a batch of steps where they lie: step `i` takes its input from
/// step `i - 1`, which holds its outcome (from `first` for step 0). Then
/// stores the outcome, and puts back the steps not run, before any added
/// meanwhile. Returns the outer chain the outcome was handed to, if any.
fn run_batch(core: &Rc<Core>, mut first: LinkBox, mut batch: Vec<Queued>) -> Option<Rc<Core>> {
    let mut ran = 0;
    let stop = loop {
        let Some((before, Queued::Link(step))) = pair(&mut first, &mut batch, ran) else {
            break if ran == batch.len() {
                Stop::Done
            } else {
                Stop::Resume
            };
        };
        let wait = step.call(before);
        ran += 1;
        if let Some(inner) = wait {
            break Stop::Wait(inner);
        }
        if core.state.borrow().paused > 0 {
            break Stop::Paused;
        }
    };
    let mut rest = batch.split_off(ran);
    // The outcome is in the last step that ran, or still in `first`.
    let outcome = match batch.pop() {
        Some(Queued::Link(last)) => last,
        None => first,
        Some(Queued::Resume(_)) => unreachable!("a batch stops before a resume"),
    };
    let (outcome, handed_to) = match stop {
        Stop::Done | Stop::Paused => (Some(outcome), None),
        Stop::Wait(_) => (None, None),
        Stop::Resume => match rest.remove(0) {
            Queued::Resume(outer) => {
                hand_over(&outer, Some(outcome));
                (None, Some(outer))
            }
            Queued::Link(_) => unreachable!("stopped at a resume"),
        },
    };
    {
        let mut state = core.state.borrow_mut();
        state.result = outcome;
        if !rest.is_empty() {
            rest.append(&mut state.steps);
            state.steps = rest;
        }
    }
    if let Stop::Wait(inner) = stop {
        wait_for(core, inner);
    }
    recycle(batch); // the steps that ran, and whatever they captured
    handed_to
}

thread_local! {
    /// Emptied queues, kept for the next chains of this thread: most
    /// chains are short-lived, and a queue reused costs no allocation.
    static SPARE_QUEUES: RefCell<Vec<Vec<Queued>>> = const { RefCell::new(Vec::new()) };
}

/// How many emptied queues a thread keeps, and how long each may be.
const SPARE: (usize, usize) = (16, 256);

/// A queue for a chain: a spare one if the thread has one.
fn spare_queue() -> Vec<Queued> {
    SPARE_QUEUES
        .try_with(|spare| spare.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Empties `queue` (dropping the steps that ran, and whatever they
/// captured), and keeps it for the next chain if there is room.
fn recycle(mut queue: Vec<Queued>) {
    queue.clear();
    if queue.capacity() > SPARE.1 {
        return;
    }
    let _ = SPARE_QUEUES.try_with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.len() < SPARE.0 {
            spare.push(queue);
        }
    });
}

/// Step `i` of a batch, and the link holding the outcome it takes.
fn pair<'a>(
    first: &'a mut LinkBox,
    batch: &'a mut [Queued],
    i: usize,
) -> Option<(&'a mut dyn Link, &'a mut Queued)> {
    let (done, rest) = batch.split_at_mut(i);
    let before: &mut dyn Link = match done.last_mut() {
        None => &mut **first,
        Some(Queued::Link(step)) => &mut **step,
        Some(Queued::Resume(_)) => unreachable!("a batch stops before a resume"),
    };
    Some((before, rest.first_mut()?))
}
// ANCHOR_END: batch

// ANCHOR: nested
/// Runs a chain, and then each outer chain it hands its outcome to, in one
/// loop: however deep the nesting, resuming it costs no stack (Twisted's
/// `_runCallbacks` keeps a list of chains for the same reason).
fn run(core: &Rc<Core>) {
    let mut chain = Rc::clone(core);
    while let Some(outer) = run_steps(&chain) {
        chain = outer;
    }
}

/// Part 13: a step returned a deferred. The outer chain waits; when the
/// inner one's steps have run, its outcome becomes the outer chain's, and
/// the outer chain goes on.
fn wait_for(outer: &Rc<Core>, inner: Rc<Core>) {
    if Rc::ptr_eq(outer, &inner) {
        let failure = Failure::msg("a callback returned the deferred it belongs to");
        outer.state.borrow_mut().result = Some(smallbox!(HeldFailure(Some(failure))));
        return;
    }
    let mut state = inner.state.borrow_mut();
    if state.can_run() && state.steps.is_empty() {
        // Fired already, with nothing left to do: take its outcome now.
        let outcome = state.result.take();
        drop(state);
        outer.state.borrow_mut().result = outcome;
        return;
    }
    // Not yet: the inner chain resumes the outer one after its own steps.
    state.steps.push(Queued::Resume(Rc::clone(outer)));
    drop(state);
    outer.state.borrow_mut().waiting_on = Some(Rc::downgrade(&inner));
}

/// The inner chain's outcome moves to the outer chain; the inner chain
/// keeps none (so it reports no unhandled failure of its own).
fn hand_over(outer: &Rc<Core>, outcome: Option<LinkBox>) {
    let mut state = outer.state.borrow_mut();
    state.result = outcome;
    state.waiting_on = None;
}
// ANCHOR_END: nested

// ANCHOR: unhandled
impl Drop for Core {
    /// The last handle is gone. If the chain ended in a failure that no
    /// errback handled, nobody will ever see it: say so.
    fn drop(&mut self) {
        let state = self.state.get_mut();
        if let Some(failure) = state.result.as_mut().and_then(|r| r.take_failure()) {
            report_unhandled(&failure);
        }
        dispose(state);
    }
}
// ANCHOR_END: unhandled

thread_local! {
    /// Whether a chain's insides are being dropped on this thread now.
    static DISPOSING: Cell<bool> = const { Cell::new(false) };
    /// Insides whose dropping waits for the one under way.
    static TO_DISPOSE: RefCell<Vec<Insides>> = const { RefCell::new(Vec::new()) };
}

/// Drops a chain's insides: its steps, its outcome and its canceller, which
/// may hold other chains, which may hold others. Dropped one inside the
/// other, a nest a million deep would need a million frames of stack; so a
/// drop under way queues the insides of the chains it frees, and the
/// outermost drop empties the queue in a loop.
fn dispose(state: &mut State) {
    if state.steps.is_empty() && state.result.is_none() && state.canceller.is_none() {
        return;
    }
    match DISPOSING.try_with(|disposing| disposing.replace(true)) {
        Ok(false) => {}
        Ok(true) => {
            let insides = Insides {
                steps: std::mem::take(&mut state.steps),
                result: state.result.take(),
                canceller: state.canceller.take(),
            };
            // (If the queue is gone, the thread is ending: `insides` are
            // dropped in place with the closure.)
            let _ = TO_DISPOSE.try_with(|queue| queue.borrow_mut().push(insides));
            return;
        }
        Err(_) => return, // the thread is ending: drop in place
    }
    /// Lowers the flag even if a drop panics.
    struct Lower;
    impl Drop for Lower {
        fn drop(&mut self) {
            let _ = DISPOSING.try_with(|disposing| disposing.set(false));
        }
    }
    let _lower = Lower;
    state.steps = Vec::new();
    state.result = None;
    state.canceller = None;
    while let Some(next) = TO_DISPOSE.with(|queue| queue.borrow_mut().pop()) {
        drop(next);
    }
}

/// What a chain holds that may hold other chains.
#[allow(dead_code)] // held only to be dropped
struct Insides {
    steps: Vec<Queued>,
    result: Option<LinkBox>,
    canceller: Option<Canceller>,
}

/// How unhandled failures are reported, when not on standard error.
type Reporter = Box<dyn FnMut(&Failure)>;

thread_local! {
    static UNHANDLED: RefCell<Option<Reporter>> = const { RefCell::new(None) };
}

fn report_unhandled(failure: &Failure) {
    let reporter = UNHANDLED
        .try_with(|slot| slot.borrow_mut().take())
        .ok()
        .flatten();
    match reporter {
        Some(mut reporter) => {
            reporter(failure);
            let _ = UNHANDLED.try_with(|slot| {
                let mut slot = slot.borrow_mut();
                if slot.is_none() {
                    *slot = Some(reporter);
                }
            });
        }
        None => drop(writeln!(
            std::io::stderr(),
            "Unhandled error in Deferred: {failure}"
        )),
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

/// What a step produced: an outcome for the next step, or an inner
/// deferred to wait for (part 13).
enum Next<U> {
    Now(Result<U, Failure>),
    Wait(Rc<Core>),
}

/// What a callback or errback may return: a new result, a failure, or a
/// deferred to wait for. Implemented for `Result<U, Failure>` (return
/// `Ok(value)` or `Err(failure)`; `?` works), for `Deferred<U>` (part 13),
/// and for `()` (a callback that only does something).
pub trait IntoStep<U> {
    /// Turns the return value into what the chain carries next.
    #[doc(hidden)]
    fn into_next(self) -> NextStep<U>;
}

/// What a callback's return value becomes (opaque).
#[doc(hidden)]
pub struct NextStep<U>(Next<U>);

impl<U: 'static> IntoStep<U> for Result<U, Failure> {
    fn into_next(self) -> NextStep<U> {
        NextStep(Next::Now(self))
    }
}

// ANCHOR: into_step
impl<U: 'static> IntoStep<U> for Deferred<U> {
    fn into_next(self) -> NextStep<U> {
        NextStep(Next::Wait(self.core))
    }
}
// ANCHOR_END: into_step

impl IntoStep<()> for () {
    fn into_next(self) -> NextStep<()> {
        NextStep(Next::Now(Ok(())))
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
        fire(&self.core, smallbox!(Held(Some(Ok(value)))))
    }

    /// Fires the chain with a failure (any error becomes one).
    #[track_caller]
    pub fn errback(&self, failure: impl Into<Failure>) -> Result<(), AlreadyCalled> {
        fire(&self.core, smallbox!(Held::<T>(Some(Err(failure.into())))))
    }
    // ANCHOR_END: trigger

    /// Fires the chain with `outcome`, a result or a failure.
    pub fn fire(&self, outcome: Result<T, Failure>) -> Result<(), AlreadyCalled> {
        fire(&self.core, smallbox!(Held(Some(outcome))))
    }

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
        Some(result) if result.holds_failure() => "failure",
        Some(_) => "result",
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

    /// Adds a step that takes the outcome as a `Result`; the one way every
    /// `add_…` method adds to the chain.
    #[track_caller]
    fn then<U: 'static>(
        self,
        pair: impl FnOnce(Result<T, Failure>) -> NextStep<U> + 'static,
    ) -> Deferred<U> {
        let step = Step {
            pair: Some(pair),
            outcome: None,
            added_at: Location::caller(),
            _takes: PhantomData,
        };
        add_step(&self.core, Queued::Link(smallbox!(step)));
        Deferred::from_core(self.core)
    }

    // ANCHOR: add_callbacks
    /// Adds a callback/errback pair: `callback` gets the result if the chain
    /// arrives here with one, `errback` the failure if it arrives with a
    /// failure. Whichever runs, what it returns goes on to the next pair.
    #[track_caller]
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
        self.then(move |outcome| match outcome {
            Ok(value) => callback(value).into_next(),
            Err(failure) => errback(failure).into_next(),
        })
    }
    // ANCHOR_END: add_callbacks

    /// Adds a callback; a failure passes it by, to the next errback.
    #[track_caller]
    pub fn add_callback<U: 'static, R: IntoStep<U>>(
        self,
        callback: impl FnOnce(T) -> R + 'static,
    ) -> Deferred<U> {
        self.then(move |outcome| match outcome {
            Ok(value) => callback(value).into_next(),
            Err(failure) => NextStep(Next::Now(Err(failure))),
        })
    }

    /// Adds an errback; a result passes it by, to the next callback. An
    /// errback that returns `Ok` recovers: the chain goes on with a result.
    #[track_caller]
    pub fn add_errback<R: IntoStep<T>>(
        self,
        errback: impl FnOnce(Failure) -> R + 'static,
    ) -> Deferred<T> {
        self.then(move |outcome| match outcome {
            Ok(value) => NextStep(Next::Now(Ok(value))),
            Err(failure) => errback(failure).into_next(),
        })
    }

    /// Adds the same function as callback and errback: it gets the result
    /// or the failure, as a `Result`.
    #[track_caller]
    pub fn add_both<U: 'static, R: IntoStep<U>>(
        self,
        both: impl FnOnce(Result<T, Failure>) -> R + 'static,
    ) -> Deferred<U> {
        self.then(move |outcome| both(outcome).into_next())
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

// ANCHOR: succeed
/// Part 14: a deferred that has fired already, with `value`. Callbacks
/// added to it run at once.
pub fn succeed<T: 'static>(value: T) -> Deferred<T> {
    fired(Ok(value))
}

/// Part 14: a deferred that has failed already.
#[track_caller]
pub fn fail<T: 'static>(failure: impl Into<Failure>) -> Deferred<T> {
    fired(Err(failure.into()))
}

/// Part 14: calls `f`, which may return a result, a failure or a deferred
/// (or panic), and always gives back a deferred: callers need not care
/// whether the answer was ready at once.
#[track_caller]
pub fn maybe_deferred<T: 'static, R: IntoStep<T>>(f: impl FnOnce() -> R) -> Deferred<T> {
    let called_at = Location::caller();
    let next = catch_panic(|| f().into_next().0)
        .unwrap_or_else(|panic| Next::Now(Err(Failure::at(Panicked(panic.message), called_at))));
    match next {
        Next::Wait(core) => Deferred::from_core(core),
        Next::Now(outcome) => fired(outcome),
    }
}
// ANCHOR_END: succeed

/// A deferred fired with `outcome`.
fn fired<T: 'static>(outcome: Result<T, Failure>) -> Deferred<T> {
    let core = Core::new(None);
    {
        let mut state = core.state.borrow_mut();
        state.called = true;
        state.result = Some(smallbox!(Held(Some(outcome))));
    }
    Deferred::from_core(core)
}

// ANCHOR: chain_deferred
impl<T: 'static> Deferred<T> {
    /// Twisted's `chainDeferred`: when this deferred's chain gets here, its
    /// outcome fires `other`, a result as `other`'s result, a failure as
    /// its failure. The outcome goes to `other`; this chain goes on with
    /// `()`, which is why the handle returned is a `Deferred<()>`. If
    /// `other` has fired already, this chain goes on with an
    /// [`AlreadyCalled`] failure instead, and the outcome is lost.
    #[track_caller]
    pub fn chain_deferred(self, other: Trigger<T>) -> Deferred<()> {
        let at = Location::caller();
        self.add_both(move |outcome: Result<T, Failure>| {
            other.fire(outcome).map_err(|e| Failure::at(e, at))
        })
    }
}
// ANCHOR_END: chain_deferred

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
    ///   cancelled. (If nobody can fire the inner one any more, it is gone,
    ///   and the waiting deferred fails with [`CancelledError`] at once.)
    /// - Fired, and not waiting: nothing happens.
    pub fn cancel(&self) {
        cancel(&self.core);
    }
}

/// A failed cancellation's outcome, as a chain carries it.
fn cancelled() -> LinkBox {
    smallbox!(HeldFailure(Some(Failure::new(CancelledError))))
}

/// Cancels `core`: a loop down the chain of deferreds waiting for one
/// another, to the innermost, which is the one that can still stop work.
fn cancel(core: &Rc<Core>) {
    let mut target = Rc::clone(core);
    loop {
        let (called, waiting_on) = {
            let state = target.state.borrow();
            (state.called, state.waiting_on.clone())
        };
        if !called {
            break;
        }
        let Some(inner) = waiting_on else {
            return; // fired, and not waiting: nothing to cancel
        };
        match inner.upgrade() {
            Some(inner) => target = inner,
            None => {
                // Waiting for a deferred nobody can fire any more.
                hand_over(&target, Some(cancelled()));
                run(&target);
                return;
            }
        }
    }
    let canceller = {
        let mut state = target.state.borrow_mut();
        let canceller = state.canceller.take();
        if canceller.is_none() {
            state.suppress_already_called = true;
        }
        canceller
    };
    if let Some(canceller) = canceller {
        canceller(&target);
    }
    if !target.state.borrow().called {
        let _ = fire(&target, cancelled());
    }
}
// ANCHOR_END: cancel
