//! The reactor: one loop that waits for events and calls whoever asked to
//! hear about them.

use std::cell::{Cell, RefCell};
use std::collections::{BinaryHeap, HashMap};
use std::io::{self, Write};
use std::os::fd::RawFd;
use std::panic::Location;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Duration;

use crate::backend::{Backend, BackendKind, Interest};
use crate::clock::Clock;
use crate::handle::{Inbox, ReactorHandle};
use crate::report::{self, FailedCall, Origin, Outcome};
use crate::shutdown::{BeforeCount, Completion, Phase, Triggers};
use crate::timers::{CallInner, CallState, DelayedCall, Entry, Thunk};

/// How a connection ended, as a reader or writer reports it to the reactor.
#[derive(Debug)]
pub enum Disconnect {
    /// Cleanly: the other side closed the connection (a read of 0 bytes).
    Done,
    /// With an error.
    Lost(io::Error),
}

impl std::fmt::Display for Disconnect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Disconnect::Done => write!(f, "connection was closed cleanly"),
            Disconnect::Lost(error) => write!(f, "connection was lost: {error}"),
        }
    }
}

/// Anything with a file descriptor the reactor can watch.
pub trait FileDescriptor {
    /// The descriptor to watch.
    fn fileno(&self) -> RawFd;

    /// Called once, after the reactor stopped watching the descriptor
    /// because a read or write reported the connection over.
    fn connection_lost(&mut self, reactor: &Reactor, reason: Disconnect) {
        let _ = (reactor, reason);
    }

    /// A name for log lines about this descriptor.
    fn log_prefix(&self) -> String {
        format!("descriptor {}", self.fileno())
    }
}

// ANCHOR: descriptors
/// Something the reactor calls when its descriptor is readable.
pub trait ReadDescriptor: FileDescriptor {
    /// The descriptor is readable: read until it would block. Return
    /// `Err` when the connection is over; the reactor then stops watching
    /// the descriptor and calls [`FileDescriptor::connection_lost`].
    fn do_read(&mut self, reactor: &Reactor) -> Result<(), Disconnect>;
}

/// Something the reactor calls when its descriptor is writable.
pub trait WriteDescriptor: FileDescriptor {
    /// The descriptor is writable: write until it would block or there is
    /// nothing left to write. Return `Err` when the connection is over.
    fn do_write(&mut self, reactor: &Reactor) -> Result<(), Disconnect>;
}
// ANCHOR_END: descriptors

/// A shared reader, as the reactor keeps it.
pub type Reader = Rc<RefCell<dyn ReadDescriptor>>;
/// A shared writer, as the reactor keeps it.
pub type Writer = Rc<RefCell<dyn WriteDescriptor>>;

/// Why the reactor refused to do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum ReactorError {
    /// `stop` was called on a reactor that is not running.
    #[error("cannot stop the reactor: it is not running")]
    NotRunning,
    /// `stop` was called again on a reactor already stopping.
    #[error("cannot stop the reactor: it is already stopping")]
    AlreadyStopping,
    /// `run` was called on a reactor that is already running.
    #[error("the reactor is already running")]
    AlreadyRunning,
    /// `advance` was called on a reactor with a real clock.
    #[error("only a reactor on a virtual clock can be advanced by hand")]
    NotVirtual,
    /// The readiness backend failed (or, from a [`ReactorHandle`], its
    /// wake-up did).
    #[error("the readiness backend failed: {0}")]
    Backend(#[from] io::Error),
    /// A [`ReactorHandle`] was used after its reactor was dropped.
    #[error("the reactor no longer exists")]
    Gone,
    /// [`Reactor::run_until`]'s run ended (stopped, or on a virtual clock
    /// with nothing left to do) before what it waited for completed.
    #[error("the reactor stopped before what it was run until had completed")]
    EndedBeforeCompletion,
}

/// The reactor's bookkeeping, borrowed only briefly and never while a
/// callback runs, so callbacks can freely use the reactor.
#[derive(Default)]
struct State {
    running: bool,
    /// `stop` was called: the shutdown is under way.
    stopping: bool,
    /// The "before" completions of the shutdown under way, once its
    /// "before" triggers have run.
    before: Option<BeforeCount>,
    /// What `run_until` waited for has completed: leave the loop, without
    /// a shutdown.
    leaving: bool,
    timers: BinaryHeap<Entry>,
    next_seq: u64,
    when_running: Vec<(Origin, Thunk)>,
    readers: HashMap<RawFd, Reader>,
    writers: HashMap<RawFd, Writer>,
}

/// Where failed callbacks are reported.
type Reporter = Box<dyn FnMut(&FailedCall)>;

struct Inner {
    state: RefCell<State>,
    backend: RefCell<Box<dyn Backend>>,
    backend_kind: BackendKind,
    clock: Clock,
    reporter: RefCell<Option<Reporter>>,
    failures: Cell<usize>,
    /// Calls queued by other threads, shared with every [`ReactorHandle`].
    inbox: Arc<Inbox>,
    triggers: RefCell<Triggers>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Handles may outlive the reactor: from now on they are told so.
        self.inbox.close();
    }
}

// ANCHOR: handle
/// A handle on a reactor. Cheap to clone; every clone is the same reactor.
///
/// Single-threaded and explicit: there is no global reactor. Whoever needs
/// one is given a handle, and callbacks capture a clone.
#[derive(Clone)]
pub struct Reactor(Rc<Inner>);
// ANCHOR_END: handle

/// A handle on a reactor that does not keep it alive.
///
/// For what the reactor itself keeps (a connection it watches, a listening
/// port): if those held an ordinary handle, they and the reactor would keep
/// each other alive after the program let go of both, and their sockets
/// would stay open until the process ends. With this one, dropping the last
/// [`Reactor`] drops whatever it was watching, and closes their sockets.
#[derive(Clone, Debug)]
pub struct WeakReactor(Weak<Inner>);

impl WeakReactor {
    /// The reactor, if it still exists.
    pub fn upgrade(&self) -> Option<Reactor> {
        self.0.upgrade().map(Reactor)
    }
}

impl std::fmt::Debug for Reactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.0.state.borrow();
        f.debug_struct("Reactor")
            .field("backend", &self.0.backend_kind)
            .field("running", &state.running)
            .field("timers", &state.timers.len())
            .field("readers", &state.readers.len())
            .field("writers", &state.writers.len())
            .finish()
    }
}

impl Reactor {
    /// A reactor on `epoll` (through `mio`) with a real clock.
    pub fn new() -> io::Result<Reactor> {
        Reactor::with(BackendKind::Mio, Clock::real())
    }

    /// A reactor with the given backend and clock.
    pub fn with(backend: BackendKind, clock: impl Into<Clock>) -> io::Result<Reactor> {
        let created = backend.create()?;
        let inbox = Arc::new(Inbox::new(created.waker()));
        Ok(Reactor(Rc::new(Inner {
            state: RefCell::new(State::default()),
            backend: RefCell::new(created),
            backend_kind: backend,
            clock: clock.into(),
            reporter: RefCell::new(None),
            failures: Cell::new(0),
            inbox,
            triggers: RefCell::default(),
        })))
    }

    /// A handle other threads can use to queue calls for this reactor and
    /// to stop it (see [`ReactorHandle`]).
    pub fn handle(&self) -> ReactorHandle {
        ReactorHandle(Arc::clone(&self.0.inbox))
    }

    pub(crate) fn triggers(&self) -> &RefCell<Triggers> {
        &self.0.triggers
    }

    /// A handle that does not keep the reactor alive (see [`WeakReactor`]).
    pub fn downgrade(&self) -> WeakReactor {
        WeakReactor(Rc::downgrade(&self.0))
    }

    /// Which backend this reactor waits with.
    pub fn backend(&self) -> BackendKind {
        self.0.backend_kind
    }

    /// The backend's name: `"epoll (mio)"` or `"poll(2)"`.
    pub fn backend_name(&self) -> &'static str {
        self.0.backend.borrow().name()
    }

    /// The time on the reactor's clock.
    pub fn now(&self) -> Duration {
        self.0.clock.now()
    }

    /// Whether the reactor is running.
    pub fn is_running(&self) -> bool {
        self.0.state.borrow().running
    }

    /// How many callbacks have failed so far.
    pub fn failures(&self) -> usize {
        self.0.failures.get()
    }

    /// Replaces how failed callbacks are reported (by default, a line on
    /// standard error).
    pub fn on_failure(&self, reporter: impl FnMut(&FailedCall) + 'static) {
        *self.0.reporter.borrow_mut() = Some(Box::new(reporter));
    }

    // ANCHOR: scheduling
    /// Runs `f` once the reactor is running: at the start of [`run`](Reactor::run),
    /// or, if it is running already, on its next turn.
    #[track_caller]
    pub fn call_when_running<R: Outcome>(&self, f: impl FnOnce() -> R + 'static) {
        let what = Origin::new("startup callback", Location::caller());
        if self.is_running() {
            self.schedule(Duration::ZERO, what, Box::new(move || f().into_error()));
        } else {
            let thunk: Thunk = Box::new(move || f().into_error());
            self.0.state.borrow_mut().when_running.push((what, thunk));
        }
    }

    /// Runs `f` after `delay`, and returns a handle that can cancel it.
    /// Calls due at the same time run in the order they were scheduled.
    #[track_caller]
    pub fn call_later<R: Outcome>(
        &self,
        delay: Duration,
        f: impl FnOnce() -> R + 'static,
    ) -> DelayedCall {
        let what = Origin::new("timed call", Location::caller());
        self.schedule(delay, what, Box::new(move || f().into_error()))
    }
    // ANCHOR_END: scheduling

    fn schedule(&self, delay: Duration, what: Origin, thunk: Thunk) -> DelayedCall {
        let due = self.now() + delay;
        let call = DelayedCall(Rc::new(CallInner {
            state: Cell::new(CallState::Pending),
            due,
            what,
            thunk: RefCell::new(Some(thunk)),
        }));
        let mut state = self.0.state.borrow_mut();
        let seq = state.next_seq;
        state.next_seq += 1;
        state.timers.push(Entry {
            due,
            seq,
            call: call.clone(),
        });
        call
    }

    /// The timed calls still to come, earliest first (ties in the order
    /// they were scheduled); cancelled calls are left out. Twisted's
    /// `getDelayedCalls`: a test can check that a program left nothing
    /// behind.
    pub fn pending_calls(&self) -> Vec<DelayedCall> {
        let state = self.0.state.borrow();
        let mut pending: Vec<&Entry> = state.timers.iter().filter(|e| e.call.active()).collect();
        pending.sort_by_key(|e| (e.due, e.seq));
        pending.into_iter().map(|e| e.call.clone()).collect()
    }

    // ANCHOR: readers
    /// Calls `reader.do_read` whenever its descriptor is readable, until
    /// [`remove_reader`](Reactor::remove_reader) or a `do_read` that
    /// reports the connection over.
    pub fn add_reader(&self, reader: Reader) -> io::Result<()> {
        let fd = reader.borrow().fileno();
        self.0.state.borrow_mut().readers.insert(fd, reader);
        self.update_interest(fd)
    }

    /// Stops watching `fd` for reading.
    pub fn remove_reader(&self, fd: RawFd) -> io::Result<()> {
        let removed = self.0.state.borrow_mut().readers.remove(&fd);
        drop(removed); // outside the borrow: dropping may run arbitrary code
        self.update_interest(fd)
    }

    /// Calls `writer.do_write` whenever its descriptor is writable.
    pub fn add_writer(&self, writer: Writer) -> io::Result<()> {
        let fd = writer.borrow().fileno();
        self.0.state.borrow_mut().writers.insert(fd, writer);
        self.update_interest(fd)
    }

    /// Stops watching `fd` for writing.
    pub fn remove_writer(&self, fd: RawFd) -> io::Result<()> {
        let removed = self.0.state.borrow_mut().writers.remove(&fd);
        drop(removed);
        self.update_interest(fd)
    }
    // ANCHOR_END: readers

    /// The descriptors being watched for reading, in no particular order.
    pub fn readers(&self) -> Vec<Reader> {
        self.0.state.borrow().readers.values().cloned().collect()
    }

    /// The descriptors being watched for writing.
    pub fn writers(&self) -> Vec<Writer> {
        self.0.state.borrow().writers.values().cloned().collect()
    }

    /// Tells the backend what `fd` is now watched for.
    fn update_interest(&self, fd: RawFd) -> io::Result<()> {
        let interest = {
            let state = self.0.state.borrow();
            Interest {
                read: state.readers.contains_key(&fd),
                write: state.writers.contains_key(&fd),
            }
        };
        self.0.backend.borrow_mut().set_interest(fd, interest)
    }

    /// Asks the reactor to stop. With no shutdown triggers,
    /// [`run`](Reactor::run) returns as soon as the callback that called
    /// `stop` returns. Otherwise the shutdown goes through its phases first
    /// (see [`add_shutdown_trigger`](Reactor::add_shutdown_trigger)): the
    /// loop keeps running until every "before" trigger's completion has
    /// completed. Stopping a reactor that is not running, or one already
    /// stopping, is an error.
    pub fn stop(&self) -> Result<(), ReactorError> {
        let mut state = self.0.state.borrow_mut();
        if !state.running {
            return Err(ReactorError::NotRunning);
        }
        if state.stopping {
            return Err(ReactorError::AlreadyStopping);
        }
        state.stopping = true;
        Ok(())
    }

    // ANCHOR: run
    /// Runs the loop until [`stop`](Reactor::stop) is called: wait for
    /// something to happen, call whoever asked to hear about it, repeat.
    ///
    /// On a virtual clock, `run` also returns when nothing could ever happen
    /// again (no timers, nothing watched, no calls queued from other
    /// threads), and instead of sleeping until the next timer, it moves the
    /// clock there.
    pub fn run(&self) -> Result<(), ReactorError> {
        {
            let mut state = self.0.state.borrow_mut();
            if state.running {
                return Err(ReactorError::AlreadyRunning);
            }
            state.running = true;
        }
        let result = self.run_loop();
        let mut state = self.0.state.borrow_mut();
        state.running = false;
        state.stopping = false;
        state.leaving = false;
        state.before = None;
        result
    }

    fn run_loop(&self) -> Result<(), ReactorError> {
        let startup = std::mem::take(&mut self.0.state.borrow_mut().when_running);
        for (what, thunk) in startup {
            self.call_guarded(what, thunk);
            if self.should_return() {
                return Ok(());
            }
        }
        let mut ready = Vec::new();
        loop {
            // 1. Run the calls other threads queued, then every timed call
            //    that is due.
            if self.run_queued_calls() || self.run_due_timers() {
                return Ok(());
            }
            // 2. Wait for a descriptor to be ready, but no longer than
            //    until the next timer is due.
            let Some(timeout) = self.next_timeout() else {
                return Ok(()); // a virtual clock with nothing left to do
            };
            ready.clear();
            self.0.backend.borrow_mut().wait(timeout, &mut ready)?;
            // 3. Call the readers and writers of the ready descriptors.
            for &(fd, found) in &ready {
                if found.read && self.dispatch_read(fd) {
                    return Ok(());
                }
                if found.write && self.dispatch_write(fd) {
                    return Ok(());
                }
            }
            // On a virtual clock, a wait that found nothing jumps time ahead.
            if let Clock::Virtual(clock) = &self.0.clock
                && ready.is_empty()
                && let Some(due) = self.next_due()
            {
                clock.advance_to(due);
            }
        }
    }
    // ANCHOR_END: run

    /// Whether the loop should return now: checked after every callback.
    /// It should if `run_until`'s completion has completed, or if a
    /// shutdown has gone through all its phases. This is where a shutdown
    /// moves on: the first check after `stop` runs the "before" triggers;
    /// the first check after their completions are all complete runs the
    /// "during" and "after" triggers.
    fn should_return(&self) -> bool {
        let before = {
            let state = self.0.state.borrow();
            if state.leaving {
                return true;
            }
            if !state.stopping {
                return false;
            }
            state.before.clone()
        };
        let before = match before {
            Some(before) => before,
            None => {
                let before = BeforeCount::default();
                self.0.state.borrow_mut().before = Some(before.clone());
                self.fire_triggers(Phase::Before, &before);
                before
            }
        };
        if !before.all_done() {
            return false;
        }
        self.fire_triggers(Phase::During, &before);
        self.fire_triggers(Phase::After, &before);
        true
    }

    /// Runs the triggers of `phase`, in the order added, each guarded.
    /// Only "before" completions are counted and waited for.
    fn fire_triggers(&self, phase: Phase, before: &BeforeCount) {
        let triggers = self.0.triggers.borrow_mut().take(phase);
        for trigger in triggers {
            let what = trigger.what;
            let finished: Box<dyn FnOnce()> = if phase == Phase::Before {
                let outstanding = before.outstanding();
                Box::new(move || drop(outstanding))
            } else {
                Box::new(|| {})
            };
            self.call_guarded(what, move || {
                trigger.fire(finished);
                None
            });
        }
    }

    /// Runs the calls queued by other threads, in the order they were
    /// queued. Returns whether one of them stopped the reactor. As with
    /// timed calls, calls queued while these run wait for the next turn.
    fn run_queued_calls(&self) -> bool {
        let mut calls = self.0.inbox.take();
        while let Some((what, call)) = calls.pop_front() {
            self.call_guarded(what, || call(self));
            if self.should_return() {
                self.0.inbox.put_back(calls);
                return true;
            }
        }
        false
    }

    /// Runs the reactor until `c` completes, and returns its outcome. If `c`
    /// has completed already, returns at once without running.
    ///
    /// When `c` completes, the loop returns as soon as that callback
    /// returns, without a shutdown: no trigger fires, and the reactor can
    /// be run again. If the run ends first (someone called `stop`, or a
    /// virtual clock has nothing left to do), the error is
    /// [`ReactorError::EndedBeforeCompletion`].
    pub fn run_until<C: Completion>(&self, c: C) -> Result<C::Output, ReactorError> {
        let outcome: Rc<RefCell<Option<C::Output>>> = Rc::default();
        // Whether our run is under way: only then may completing end it.
        // (A completion that is complete already must not leave the flag
        // behind for the next run.)
        let waiting = Rc::new(Cell::new(false));
        let (slot, still_waiting, reactor) =
            (Rc::clone(&outcome), Rc::clone(&waiting), self.downgrade());
        c.when_complete(Box::new(move |output| {
            *slot.borrow_mut() = Some(output);
            if still_waiting.get()
                && let Some(reactor) = reactor.upgrade()
            {
                reactor.0.state.borrow_mut().leaving = true;
            }
        }));
        let done = outcome.borrow_mut().take();
        if let Some(output) = done {
            return Ok(output);
        }
        waiting.set(true);
        let ran = self.run();
        waiting.set(false);
        ran?;
        let done = outcome.borrow_mut().take();
        done.ok_or(ReactorError::EndedBeforeCompletion)
    }

    fn next_due(&self) -> Option<Duration> {
        let mut state = self.0.state.borrow_mut();
        // Cancelled calls stay queued until they come up; skip them here.
        while let Some(entry) = state.timers.peek() {
            if entry.call.active() {
                return Some(entry.due);
            }
            state.timers.pop();
        }
        None
    }

    /// How long the backend may wait: until the next timer, or forever if
    /// there is none. `None` means "do not wait at all, return from run".
    fn next_timeout(&self) -> Option<Option<Duration>> {
        if !self.0.inbox.is_empty() {
            // A call from another thread is waiting: look, and come back.
            return Some(Some(Duration::ZERO));
        }
        let next_due = self.next_due();
        if self.0.clock.is_virtual() {
            let watching = {
                let state = self.0.state.borrow();
                !state.readers.is_empty() || !state.writers.is_empty()
            };
            return match (next_due, watching) {
                // Look at the descriptors without waiting; then jump.
                (Some(_), _) => Some(Some(Duration::ZERO)),
                // Only I/O can happen: wait for it for real.
                (None, true) => Some(None),
                (None, false) => None,
            };
        }
        Some(next_due.map(|due| due.saturating_sub(self.now())))
    }

    /// Runs the calls that are due, earliest first. Returns whether one of
    /// them stopped the reactor.
    ///
    /// Only calls already queued when the pass begins run in it: a call
    /// scheduled with no delay by one of them waits for the next turn, after
    /// the backend has been looked at, so a callback that keeps rescheduling
    /// itself cannot keep the loop from ever reaching the backend.
    fn run_due_timers(&self) -> bool {
        let now = self.now();
        let queued_before = self.0.state.borrow().next_seq;
        loop {
            let entry = {
                let mut state = self.0.state.borrow_mut();
                match state.timers.peek() {
                    Some(entry) if entry.due <= now && entry.seq < queued_before => {
                        state.timers.pop()
                    }
                    _ => None,
                }
            };
            let Some(entry) = entry else {
                return false;
            };
            let call = entry.call.0;
            if call.state.get() != CallState::Pending {
                continue;
            }
            call.state.set(CallState::Called);
            let thunk = call.thunk.borrow_mut().take();
            if let Some(thunk) = thunk {
                self.call_guarded(call.what, thunk);
            }
            if self.should_return() {
                return true;
            }
        }
    }

    /// Advances a virtual clock by `by` and runs the timed calls that are
    /// then due, without running the whole loop: for tests.
    pub fn advance(&self, by: Duration) -> Result<(), ReactorError> {
        let Clock::Virtual(clock) = &self.0.clock else {
            return Err(ReactorError::NotVirtual);
        };
        clock.advance(by);
        self.run_due_timers();
        Ok(())
    }

    fn call_guarded(&self, what: Origin, thunk: impl FnOnce() -> Option<String>) {
        // The thunk has already turned the callback's own error into a message.
        if let Some(how) = report::guarded(|| thunk().map_or(Ok(()), Err)) {
            self.report(FailedCall {
                what: what.to_string(),
                how,
            });
        }
    }

    fn report(&self, failure: FailedCall) {
        self.0.failures.set(self.0.failures.get() + 1);
        let reporter = self.0.reporter.borrow_mut().take();
        match reporter {
            Some(mut reporter) => {
                reporter(&failure);
                let mut slot = self.0.reporter.borrow_mut();
                if slot.is_none() {
                    *slot = Some(reporter);
                }
            }
            // A closed standard error is no reason to stop the loop.
            None => drop(writeln!(io::stderr(), "{failure}")),
        }
    }

    /// Calls the reader of `fd`, if it still has one. Returns whether the
    /// reactor was stopped.
    fn dispatch_read(&self, fd: RawFd) -> bool {
        let reader = self.0.state.borrow().readers.get(&fd).cloned();
        if let Some(reader) = reader {
            let mut outcome = None;
            let failed = report::guarded(|| outcome = Some(reader.borrow_mut().do_read(self)));
            self.finish_dispatch(fd, "do_read", failed, outcome, &mut *reader.borrow_mut());
        }
        self.should_return()
    }

    /// Calls the writer of `fd`, if it still has one.
    fn dispatch_write(&self, fd: RawFd) -> bool {
        let writer = self.0.state.borrow().writers.get(&fd).cloned();
        if let Some(writer) = writer {
            let mut outcome = None;
            let failed = report::guarded(|| outcome = Some(writer.borrow_mut().do_write(self)));
            self.finish_dispatch(fd, "do_write", failed, outcome, &mut *writer.borrow_mut());
        }
        self.should_return()
    }

    /// After a `do_read` or `do_write`: if it panicked, or reported the
    /// connection over, stop watching the descriptor and tell it why.
    fn finish_dispatch(
        &self,
        fd: RawFd,
        method: &str,
        panicked: Option<String>,
        outcome: Option<Result<(), Disconnect>>,
        descriptor: &mut dyn FileDescriptor,
    ) {
        let reason = match (panicked, outcome) {
            (Some(how), _) => {
                self.report(FailedCall {
                    what: format!("{method} of {}", descriptor.log_prefix()),
                    how: how.clone(),
                });
                Disconnect::Lost(io::Error::other(how))
            }
            (None, Some(Err(reason))) => reason,
            (None, _) => return,
        };
        let (reader, writer) = {
            let mut state = self.0.state.borrow_mut();
            (state.readers.remove(&fd), state.writers.remove(&fd))
        };
        let _ = self.update_interest(fd);
        drop((reader, writer));
        if let Some(how) = report::guarded(|| descriptor.connection_lost(self, reason)) {
            self.report(FailedCall {
                what: format!("connection_lost of {}", descriptor.log_prefix()),
                how,
            });
        }
    }
}
