//! Processes and monitors: Erlang's `spawn_monitor`, on part 17's
//! runtime.
//!
//! A *process* here is a task of the runtime, an `async` block that runs
//! under its own power and talks to others only through mailboxes. It
//! ends in one of four ways, and whoever monitors it gets a [`Down`]
//! message in its mailbox whichever way it was:
//!
//! | the task…                         | the reason          |
//! |-----------------------------------|---------------------|
//! | returned `Ok(())`                 | [`Reason::Normal`]  |
//! | returned `Err(e)`                 | [`Reason::Error`]   |
//! | panicked                          | [`Reason::Panicked`]|
//! | was killed (its deferred cancelled, or the runtime dropped it) | [`Reason::Killed`] |
//!
//! Nothing new is needed to build it. Part 17's [`Runtime::spawn`]
//! already gives a deferred that fires with the task's output, or fails
//! with [`TaskPanicked`] if a poll panicked (the runtime catches the panic
//! at the task's boundary: one task's crash is not the program's), or with
//! a cancel. A monitor is one more callback on that deferred, which turns
//! the outcome into a message.

use std::fmt;
use std::future::Future;

use part_07::CancelHandle;
use part_17::{Runtime, TaskPanicked};

use crate::mailbox::Sender;

// ANCHOR: down
/// Why a process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason<E> {
    /// It finished its work.
    Normal,
    /// It gave up, with this error.
    Error(E),
    /// It panicked: the panic's message and place.
    Panicked(TaskPanicked),
    /// It was stopped from outside before it finished.
    Killed,
}

/// The message a monitor sends when the process it watches ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Down<E> {
    /// The name the process was spawned with.
    pub who: usize,
    /// How it ended.
    pub reason: Reason<E>,
}
// ANCHOR_END: down

impl<E> Reason<E> {
    /// Whether the process ended by finishing its work.
    pub fn is_normal(&self) -> bool {
        matches!(self, Reason::Normal)
    }
}

impl<E: fmt::Display> fmt::Display for Reason<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Normal => f.write_str("normal"),
            Reason::Error(error) => error.fmt(f),
            Reason::Panicked(panic) => panic.fmt(f),
            Reason::Killed => f.write_str("killed"),
        }
    }
}

/// A process that was spawned: its name, and a way to kill it.
pub struct Process {
    who: usize,
    handle: CancelHandle,
}

impl Process {
    /// The name it was spawned with.
    pub fn who(&self) -> usize {
        self.who
    }

    /// Stops it at the `.await` it is waiting at (its future is dropped);
    /// its monitor hears [`Reason::Killed`]. Nothing happens if it has
    /// ended already.
    pub fn kill(&self) {
        self.handle.cancel();
    }
}

impl fmt::Debug for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Process").field("who", &self.who).finish()
    }
}

// ANCHOR: spawn_monitor
/// Erlang's `spawn_monitor`: starts `process` as a task named `who`, and
/// sends a [`Down`] to `watcher` when it ends, however it ends.
#[track_caller]
pub fn spawn_monitor<M, E, F>(
    runtime: &Runtime,
    who: usize,
    watcher: &Sender<M>,
    process: F,
) -> Process
where
    F: Future<Output = Result<(), E>> + 'static,
    E: 'static,
    M: From<Down<E>> + 'static,
{
    let watcher = watcher.clone();
    let task = runtime.spawn(process);
    let handle = task.cancel_handle();
    // The monitor: one more callback on the task's deferred.
    let _ = task.add_both(move |outcome| {
        let reason = match outcome {
            Ok(Ok(())) => Reason::Normal,
            Ok(Err(error)) => Reason::Error(error),
            Err(failure) => match failure.downcast_ref::<TaskPanicked>() {
                Some(panic) => Reason::Panicked(panic.clone()),
                None => Reason::Killed, // cancelled, or abandoned
            },
        };
        watcher.send(M::from(Down { who, reason }));
    });
    Process { who, handle }
}
// ANCHOR_END: spawn_monitor
