//! Stopping in phases: shutdown triggers (Twisted's
//! `addSystemEventTrigger(phase, "shutdown", f)`), and [`Completion`], the
//! shape of "something that finishes later" a trigger may return.
//!
//! A program often has work to finish before its reactor stops: flush a
//! log, say goodbye to its clients, save a cache. If `stop` ended the loop
//! at once, that work, which itself needs the loop (a write waits for a
//! writable socket), could never be done. So `stop` begins a shutdown in
//! three phases:
//!
//! 1. **Before**: every "before" trigger runs, in the order added. Each may
//!    return a [`Completion`]; the loop keeps running (timers, I/O, calls
//!    from other threads) until all of them have completed.
//! 2. **During**: the "during" triggers run.
//! 3. **After**: the "after" triggers run, and [`Reactor::run`] returns.
//!
//! Part 3 cannot know the types later parts will use for "finishes later"
//! (part 7's `Deferred` is the first), so it asks only for the
//! [`Completion`] trait, which those types implement. `()` implements it:
//! a trigger that returns nothing is done when it returns.

use std::cell::Cell;
use std::rc::Rc;

use crate::reactor::Reactor;
use crate::report::Origin;

/// Something that finishes later with an outcome, and can say when.
pub trait Completion: 'static {
    /// What it finishes with.
    type Output: 'static;

    /// Calls `done` with the outcome once there is one: at once if there
    /// already is. A `done` that is dropped without being called means the
    /// outcome can never come.
    fn when_complete(self, done: Box<dyn FnOnce(Self::Output)>);
}

/// Nothing to wait for: complete at once.
impl Completion for () {
    type Output = ();

    fn when_complete(self, done: Box<dyn FnOnce(())>) {
        done(());
    }
}

/// The phases of a shutdown, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Runs first; the reactor waits for the completions these return.
    Before,
    /// Runs once every "before" completion has completed.
    During,
    /// Runs last, just before [`Reactor::run`] returns.
    After,
}

/// A trigger added with [`Reactor::add_shutdown_trigger`]: give it to
/// [`Reactor::remove_shutdown_trigger`] to take the trigger back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShutdownTrigger(u64);

/// A trigger, type-erased: given the "finished" callback, it runs the
/// user's function and arranges for "finished" to be called (or dropped)
/// when the completion it returned completes.
type Run = Box<dyn FnOnce(Box<dyn FnOnce()>)>;

/// One trigger, as the reactor keeps it until it fires.
pub(crate) struct Trigger {
    id: ShutdownTrigger,
    phase: Phase,
    pub(crate) what: Origin,
    run: Run,
}

impl Trigger {
    /// Runs the trigger; `finished` is called or dropped once its
    /// completion has completed (or once it is clear it never will).
    pub(crate) fn fire(self, finished: Box<dyn FnOnce()>) {
        (self.run)(finished)
    }
}

/// The triggers not yet fired, in the order they were added.
#[derive(Default)]
pub(crate) struct Triggers {
    next_id: u64,
    waiting: Vec<Trigger>,
}

impl Triggers {
    /// Adds `f` to run in `phase`.
    pub(crate) fn add<C: Completion>(
        &mut self,
        phase: Phase,
        what: Origin,
        f: impl FnOnce() -> C + 'static,
    ) -> ShutdownTrigger {
        let id = ShutdownTrigger(self.next_id);
        self.next_id += 1;
        let run: Run = Box::new(move |finished| f().when_complete(Box::new(move |_| finished())));
        self.waiting.push(Trigger {
            id,
            phase,
            what,
            run,
        });
        id
    }

    /// Takes `id` back; `None` if it has fired or was removed already.
    pub(crate) fn remove(&mut self, id: ShutdownTrigger) -> Option<Trigger> {
        let at = self.waiting.iter().position(|t| t.id == id)?;
        Some(self.waiting.remove(at))
    }

    /// Takes every trigger of `phase`, in the order added: they fire once.
    pub(crate) fn take(&mut self, phase: Phase) -> Vec<Trigger> {
        let (taken, kept) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|t| t.phase == phase);
        self.waiting = kept;
        taken
    }
}

/// How many "before" completions of one shutdown have yet to complete.
/// Each has an [`Outstanding`] that counts down when dropped: when its
/// completion completes, or when the completion is dropped without ever
/// completing (then nothing could ever complete it, and waiting for it
/// would be waiting for ever).
#[derive(Clone, Default)]
pub(crate) struct BeforeCount(Rc<Cell<usize>>);

impl BeforeCount {
    /// One more completion to wait for.
    pub(crate) fn outstanding(&self) -> Outstanding {
        self.0.set(self.0.get() + 1);
        Outstanding(self.clone())
    }

    /// Whether every completion counted has completed.
    pub(crate) fn all_done(&self) -> bool {
        self.0.get() == 0
    }
}

/// One "before" completion not yet complete (see [`BeforeCount`]).
pub(crate) struct Outstanding(BeforeCount);

impl Drop for Outstanding {
    fn drop(&mut self) {
        let count = &(self.0).0;
        count.set(count.get() - 1);
    }
}

impl Reactor {
    /// Adds `f` to run when the reactor shuts down, in `phase` (Twisted's
    /// `addSystemEventTrigger(phase, "shutdown", f)`). A "before" trigger
    /// may return a [`Completion`]: the reactor keeps running until it
    /// completes. A trigger fires once; a reactor run again after a
    /// shutdown starts with only the triggers not yet fired.
    ///
    /// On a virtual clock, a run with nothing left that could complete a
    /// "before" completion (no timers, nothing watched, no calls queued)
    /// returns as any such run does, without the "during" and "after"
    /// triggers, which stay for the next shutdown: waiting would be for
    /// ever.
    #[track_caller]
    pub fn add_shutdown_trigger<C: Completion>(
        &self,
        phase: Phase,
        f: impl FnOnce() -> C + 'static,
    ) -> ShutdownTrigger {
        let what = Origin::new("shutdown trigger", std::panic::Location::caller());
        self.triggers().borrow_mut().add(phase, what, f)
    }

    /// Takes back a trigger that has not fired yet. Returns whether it was
    /// still waiting (`false`: it has fired, or was removed before).
    pub fn remove_shutdown_trigger(&self, trigger: ShutdownTrigger) -> bool {
        let removed = self.triggers().borrow_mut().remove(trigger);
        removed.is_some() // dropped outside the borrow
    }
}
