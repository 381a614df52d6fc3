//! The runtime: a queue of tasks on part 3's reactor.
//!
//! A future does nothing by itself. Something must call its `poll`; when
//! `poll` says `Pending`, the future has handed a [`Waker`] to whatever it
//! waits for, and that waker, called later, asks for another `poll`. So a
//! runtime needs three things, and the reactor already has the hard one:
//!
//! - **a loop that waits for events**: the reactor;
//! - **a queue of tasks ready to be polled**, and a callback on the reactor
//!   that polls them (a *drain*);
//! - **a waker** per task, which puts the task on the queue and makes sure
//!   a drain is coming. A waker must work from any thread (`Waker` is
//!   `Send + Sync`), so the queue sits behind a mutex, and a wake-up from
//!   another thread reaches the reactor through part 3's
//!   [`ReactorHandle::call_from_thread`], which wakes a reactor blocked in
//!   its wait. Whoever wakes it, the task then runs on the reactor's thread.
//!
//! A task's outcome is a part 7 [`Deferred`]: [`Runtime::spawn`] returns
//! one, so a spawned task can be awaited (a deferred is a future: see
//! [`part_07::DeferredFuture`]), given callbacks, or cancelled, which drops
//! the task's future. A panic in a task fails its deferred, and only it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};
use std::time::Duration;

use part_03::report::{Panic, catch_panic};
use part_03::{Reactor, ReactorHandle};
use part_07::{CancelledError, Deferred, Failure, Trigger};

/// The error a task that panicked fails with: the panic's message and the
/// place it was raised. (The failure itself names the place the task was
/// spawned.)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the task panicked at {}: {message}", place.as_deref().unwrap_or("an unknown place"))]
pub struct TaskPanicked {
    /// What the panic said.
    pub message: String,
    /// Where it was raised, as `FILE:LINE:COLUMN`, if known.
    pub place: Option<String>,
}

// ANCHOR: runtime
/// A runtime: a reactor and a queue of tasks it polls. Cheap to clone;
/// every clone is the same runtime. Like the reactor it belongs to one
/// thread; its tasks need not be `Send`.
///
/// The runtime owns its tasks: when the last handle on it is dropped, so
/// are the tasks not yet finished (as when a tokio runtime is dropped).
/// Keep a handle for as long as they should run.
#[derive(Clone)]
pub struct Runtime(Rc<Executor>);

/// The runtime's state, on the reactor's thread.
struct Executor {
    reactor: Reactor,
    tasks: RefCell<Tasks>,
    /// What wakers share with the reactor's thread.
    queue: Arc<ReadyQueue>,
    /// The ids being polled by the drain under way (kept to reuse the
    /// allocation from one drain to the next).
    batch: RefCell<Vec<TaskId>>,
}

/// The tasks ready to be polled: what a waker touches, from any thread.
struct ReadyQueue {
    ready: Mutex<Vec<TaskId>>,
    /// A drain is scheduled and has not started: no need for another.
    drain_scheduled: AtomicBool,
    reactor: ReactorHandle,
    owner: ThreadId,
    /// Which runtime of the owner thread this is (see [`RUNTIMES`]).
    runtime: u64,
}

/// One task's waker: it knows its task and its queue.
struct TaskWaker {
    id: TaskId,
    queue: Arc<ReadyQueue>,
    /// On the queue already: a second wake before the poll adds nothing.
    queued: AtomicBool,
}
// ANCHOR_END: runtime

// ANCHOR: wake
impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            self.queue.push(self.id);
        }
    }
}

impl ReadyQueue {
    /// Puts `id` on the queue and makes sure a drain will poll it.
    fn push(&self, id: TaskId) {
        self.ready
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(id);
        if self.drain_scheduled.swap(true, Ordering::AcqRel) {
            return; // the drain already coming will find it
        }
        let runtime = self.runtime;
        if thread::current().id() == self.owner
            && let Some(executor) = lookup(runtime)
        {
            // On the reactor's thread: a timed call with no delay, on the
            // reactor's next turn. No lock, no system call.
            executor
                .reactor
                .call_later(Duration::ZERO, move || drain(runtime));
            return;
        }
        // Another thread: leave a message, which wakes the reactor. (If
        // the reactor is gone, so are its tasks: nothing to poll.)
        let _ = self
            .reactor
            .call_from_thread(move |_: &Reactor| drain(runtime));
    }
}

/// The drain: on the reactor's thread, polls every task queued so far.
fn drain(runtime: u64) {
    if let Some(executor) = lookup(runtime) {
        executor.run_ready();
    }
}
// ANCHOR_END: wake

thread_local! {
    /// The runtimes of this thread, by number: how a drain queued from
    /// another thread (which can only send a number, not an `Rc`) finds
    /// its runtime again.
    static RUNTIMES: RefCell<HashMap<u64, Weak<Executor>>> = RefCell::default();
}

fn lookup(runtime: u64) -> Option<Rc<Executor>> {
    RUNTIMES
        .try_with(|all| all.borrow().get(&runtime).and_then(Weak::upgrade))
        .ok()
        .flatten()
}

/// Something to poll: a future, and what to do with its outcome.
trait Job {
    /// Polls the future; once it is ready, fires the task's deferred.
    fn poll_job(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()>;
    /// The poll panicked: fail the task's deferred.
    fn panicked(self: Pin<&mut Self>, panic: Panic);
    /// The runtime shut down before the task finished: fail its deferred
    /// as cancelled.
    fn abandoned(self: Pin<&mut Self>);
}

/// A spawned future and the trigger of its deferred.
#[pin_project::pin_project]
struct Spawned<F: Future> {
    #[pin]
    future: F,
    trigger: Trigger<F::Output>,
    spawned_at: &'static Location<'static>,
}

impl<F: Future> Job for Spawned<F>
where
    F::Output: 'static,
{
    fn poll_job(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        match this.future.poll(cx) {
            Poll::Ready(output) => {
                // Cancelled while this poll ran: the deferred has failed
                // already, and the output has nowhere to go.
                let _ = this.trigger.callback(output);
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn panicked(self: Pin<&mut Self>, panic: Panic) {
        let this = self.project();
        let error = TaskPanicked {
            message: panic.message,
            place: panic.place,
        };
        let _ = this.trigger.fire(Err(Failure::at(error, this.spawned_at)));
    }

    fn abandoned(self: Pin<&mut Self>) {
        let this = self.project();
        let _ = this
            .trigger
            .fire(Err(Failure::at(CancelledError, this.spawned_at)));
    }
}

/// A task: its job and its waker, made once.
struct Task {
    job: Pin<Box<dyn Job>>,
    waker: Waker,
    flag: Arc<TaskWaker>,
}

/// A task's place in the table, and which task had it (a place is
/// reused; a stale waker of an old task must not poll the new one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TaskId {
    index: u32,
    generation: u32,
}

/// Where a task is.
enum Slot {
    Free,
    /// Waiting to be polled.
    Idle(Task),
    /// Being polled right now (taken out of the table meanwhile).
    Running,
    /// Cancelled while being polled: drop it when the poll returns.
    Cancelled,
}

/// The table of tasks: a vector of slots and a list of free ones.
#[derive(Default)]
struct Tasks {
    slots: Vec<(u32, Slot)>,
    free: Vec<u32>,
}

impl Tasks {
    /// A new place, marked as running until its task is put in.
    fn reserve(&mut self) -> TaskId {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                self.slots.push((0, Slot::Free));
                u32::try_from(self.slots.len() - 1).expect("fewer than 2^32 tasks")
            }
        };
        let entry = &mut self.slots[index as usize];
        entry.1 = Slot::Running;
        TaskId {
            index,
            generation: entry.0,
        }
    }

    fn slot(&mut self, id: TaskId) -> Option<&mut Slot> {
        match self.slots.get_mut(id.index as usize) {
            Some((generation, slot)) if *generation == id.generation => Some(slot),
            _ => None,
        }
    }

    /// Frees `id`'s place, returning what it held.
    fn release(&mut self, id: TaskId) -> Slot {
        let Some(entry) = self.slots.get_mut(id.index as usize) else {
            return Slot::Free;
        };
        if entry.0 != id.generation {
            return Slot::Free;
        }
        entry.0 = entry.0.wrapping_add(1);
        self.free.push(id.index);
        std::mem::replace(&mut entry.1, Slot::Free)
    }
}

impl Runtime {
    /// A runtime whose tasks run on `reactor`.
    pub fn new(reactor: &Reactor) -> Runtime {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let number = NEXT.fetch_add(1, Ordering::Relaxed);
        let executor = Rc::new(Executor {
            reactor: reactor.clone(),
            tasks: RefCell::default(),
            queue: Arc::new(ReadyQueue {
                ready: Mutex::default(),
                drain_scheduled: AtomicBool::new(false),
                reactor: reactor.handle(),
                owner: thread::current().id(),
                runtime: number,
            }),
            batch: RefCell::default(),
        });
        RUNTIMES.with(|all| {
            let mut all = all.borrow_mut();
            all.retain(|_, runtime| runtime.strong_count() > 0);
            all.insert(number, Rc::downgrade(&executor));
        });
        Runtime(executor)
    }

    /// The reactor this runtime's tasks run on.
    pub fn reactor(&self) -> &Reactor {
        &self.0.reactor
    }

    // ANCHOR: spawn
    /// Starts `future` as a task: it is polled on the reactor's next turn,
    /// and then whenever its waker is called, until it is ready. The
    /// deferred returned fires with the future's output; cancelling it
    /// drops the future (the task stops at the `.await` it was paused at).
    /// A panic in the task fails the deferred with [`TaskPanicked`].
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Deferred<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let (deferred, id) = self.0.insert(future, Location::caller());
        self.0.queue.push(id);
        deferred
    }
    // ANCHOR_END: spawn

    // ANCHOR: inline_callbacks
    /// Twisted's `inlineCallbacks` (and `ensureDeferred`): an `async` block
    /// as a deferred. The block runs at once, up to its first `.await` that
    /// has to wait, as a decorated generator runs up to its first `yield`;
    /// the rest runs as a task.
    ///
    /// The kinder rule: whatever happens, the caller gets a deferred. A
    /// block that fails (or panics) before its first `.await` gives a
    /// deferred that has failed already, never a panic or an error at the
    /// call.
    #[track_caller]
    pub fn inline_callbacks<T, F>(&self, block: F) -> Deferred<T>
    where
        T: 'static,
        F: Future<Output = Result<T, Failure>> + 'static,
    {
        let (deferred, id) = self.0.insert(block, Location::caller());
        self.0.run_task(id);
        deferred.add_callback(|outcome: Result<T, Failure>| outcome)
    }
    // ANCHOR_END: inline_callbacks

    // ANCHOR: block_on
    /// Runs the reactor until `future` is ready, and returns its output:
    /// the way into the runtime from a `main` or a test. The failure is a
    /// panic of the future ([`TaskPanicked`]) or a reactor that ended (or
    /// was already running) before the future was ready.
    #[track_caller]
    pub fn block_on<F>(&self, future: F) -> Result<F::Output, Failure>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let task = self.spawn(future);
        match self.0.reactor.run_until(task) {
            Ok(outcome) => outcome,
            Err(error) => Err(Failure::new(error)),
        }
    }
    // ANCHOR_END: block_on

    /// A deferred that fires with `()` after `delay` on the reactor's
    /// clock (Twisted's `deferLater`); cancelling it cancels the timer.
    /// Awaited, it is a sleep.
    pub fn sleep(&self, delay: Duration) -> Deferred<()> {
        let timer = Rc::new(RefCell::new(None::<part_03::DelayedCall>));
        let for_cancel = Rc::clone(&timer);
        let (deferred, trigger) = Deferred::with_canceller(move |_: &Trigger<()>| {
            if let Some(call) = for_cancel.borrow_mut().take() {
                let _ = call.cancel();
            }
        });
        let call = self.0.reactor.call_later(delay, move || {
            let _ = trigger.callback(());
        });
        *timer.borrow_mut() = Some(call);
        deferred
    }

    /// How many tasks have not finished.
    pub fn tasks(&self) -> usize {
        let tasks = self.0.tasks.borrow();
        tasks.slots.len() - tasks.free.len()
    }

    /// Drops every task that has not finished (their deferreds fail with
    /// `CancelledError`). A task's future often holds a clone of its
    /// runtime, which holds the task: call this when a program is done
    /// with a runtime whose tasks may never finish (a server), to break
    /// that circle and close what they hold.
    pub fn shutdown(&self) {
        let tasks = std::mem::take(&mut *self.0.tasks.borrow_mut());
        // Outside the borrow: failing a deferred, and dropping a future,
        // run other code, which may use the runtime.
        abandon(tasks);
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("tasks", &self.tasks())
            .finish()
    }
}

impl Executor {
    /// Puts `future` in the table and returns its deferred and its id.
    fn insert<F>(
        self: &Rc<Self>,
        future: F,
        spawned_at: &'static Location<'static>,
    ) -> (Deferred<F::Output>, TaskId)
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let id = self.tasks.borrow_mut().reserve();
        let executor = Rc::downgrade(self);
        let (deferred, trigger) = Deferred::with_canceller(move |_: &Trigger<F::Output>| {
            if let Some(executor) = executor.upgrade() {
                executor.cancel(id);
            }
        });
        let flag = Arc::new(TaskWaker {
            id,
            queue: Arc::clone(&self.queue),
            queued: AtomicBool::new(false),
        });
        let task = Task {
            job: Box::pin(Spawned {
                future,
                trigger,
                spawned_at,
            }),
            waker: Waker::from(Arc::clone(&flag)),
            flag,
        };
        if let Some(slot) = self.tasks.borrow_mut().slot(id) {
            *slot = Slot::Idle(task);
        }
        (deferred, id)
    }

    // ANCHOR: run_task
    /// Polls every task queued so far. Tasks woken meanwhile wait for the
    /// next drain, so one busy task cannot keep the reactor from its I/O.
    fn run_ready(self: &Rc<Self>) {
        self.queue.drain_scheduled.store(false, Ordering::Release);
        let mut batch = std::mem::take(&mut *self.batch.borrow_mut());
        std::mem::swap(
            &mut *self
                .queue
                .ready
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
            &mut batch,
        );
        for id in batch.drain(..) {
            self.run_task(id);
        }
        *self.batch.borrow_mut() = batch;
    }

    /// Polls one task, outside any borrow (a poll may spawn, cancel, or
    /// wake anything), and catches a panic in it.
    fn run_task(&self, id: TaskId) {
        let task = match self.tasks.borrow_mut().slot(id) {
            Some(slot @ Slot::Idle(_)) => match std::mem::replace(slot, Slot::Running) {
                Slot::Idle(task) => Some(task),
                _ => None,
            },
            _ => None, // finished, cancelled, or a stale waker
        };
        let Some(mut task) = task else { return };
        task.flag.queued.store(false, Ordering::Release);
        let mut cx = Context::from_waker(&task.waker);
        match catch_panic(|| task.job.as_mut().poll_job(&mut cx)) {
            Ok(Poll::Pending) => {
                let mut tasks = self.tasks.borrow_mut();
                if let Some(slot) = tasks.slot(id)
                    && matches!(slot, Slot::Running)
                {
                    *slot = Slot::Idle(task);
                    return;
                }
                drop(tasks.release(id)); // it was cancelled while running
                drop(tasks);
            }
            Ok(Poll::Ready(())) => {
                let released = self.tasks.borrow_mut().release(id);
                drop(released);
            }
            Err(panic) => {
                let released = self.tasks.borrow_mut().release(id);
                drop(released);
                task.job.as_mut().panicked(panic);
            }
        }
    }
    // ANCHOR_END: run_task

    /// The task's deferred was cancelled: drop its future, now if it is
    /// waiting, when its poll returns if it is running.
    fn cancel(&self, id: TaskId) {
        let taken = {
            let mut tasks = self.tasks.borrow_mut();
            match tasks.slot(id) {
                Some(slot @ Slot::Running) => {
                    *slot = Slot::Cancelled;
                    None
                }
                Some(Slot::Idle(_)) => Some(tasks.release(id)),
                _ => None,
            }
        };
        drop(taken);
    }
}

impl Drop for Executor {
    /// The last handle on the runtime is gone, and with it every way to
    /// poll its tasks: they are dropped, and their deferreds fail as
    /// cancelled (as [`Runtime::shutdown`] does).
    fn drop(&mut self) {
        let number = self.queue.runtime;
        let _ = RUNTIMES.try_with(|all| all.borrow_mut().remove(&number));
        abandon(std::mem::take(self.tasks.get_mut()));
    }
}

/// Drops `tasks`, failing the deferreds of those unfinished.
fn abandon(tasks: Tasks) {
    for (_, slot) in tasks.slots {
        if let Slot::Idle(mut task) = slot {
            task.job.as_mut().abandoned();
        }
    }
}
