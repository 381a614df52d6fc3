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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use part_03::{BackendKind, Reactor, VirtualClock};

    use super::*;
    use crate::mailbox::mailbox;

    /// What a test's main process hears: a word from a worker, or a down.
    #[derive(Debug, PartialEq)]
    enum Heard {
        Word(usize, &'static str),
        Down(Down<String>),
    }

    impl From<Down<String>> for Heard {
        fn from(down: Down<String>) -> Heard {
            Heard::Down(down)
        }
    }

    fn runtime() -> Runtime {
        let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor");
        Runtime::new(&reactor)
    }

    /// Spawns four monitored workers that end in the four ways, worker
    /// `n` after `n` seconds, and returns everything the main process
    /// heard, in order.
    fn four_ends() -> Vec<Heard> {
        let rt = runtime();
        let (me, mut inbox) = mailbox::<Heard>();
        let sleep = |n: u64| rt.sleep(Duration::from_secs(n));
        let out = me.clone();
        let (one, two, three, four) = (sleep(1), sleep(2), sleep(3), sleep(4));
        spawn_monitor(&rt, 1, &me, async move {
            let _ = one.await;
            out.send(Heard::Word(1, "my poem"));
            Ok::<(), String>(())
        });
        spawn_monitor(&rt, 2, &me, async move {
            let _ = two.await;
            Err("connection refused".to_string())
        });
        spawn_monitor(&rt, 3, &me, async move {
            let _ = three.await;
            if three_panics() {
                panic!("worker 3 broke");
            }
            Ok::<(), String>(())
        });
        let victim = spawn_monitor(&rt, 4, &me, async move {
            let _ = four.await;
            Ok::<(), String>(())
        });
        let killer = rt.clone();
        let _ = rt.spawn(async move {
            let _ = killer.sleep(Duration::from_millis(3500)).await;
            victim.kill();
        });
        drop(me);
        rt.block_on(async move {
            let mut heard = Vec::new();
            for _ in 0..5 {
                heard.extend(inbox.recv().await);
            }
            heard
        })
        .unwrap()
    }

    fn three_panics() -> bool {
        true
    }

    #[test]
    fn a_monitor_reports_every_way_a_process_ends_once_in_order() {
        let heard = four_ends();
        assert_eq!(heard.len(), 5, "{heard:?}");
        assert_eq!(heard[0], Heard::Word(1, "my poem"));
        let down = |who, reason| Heard::Down(Down { who, reason });
        assert_eq!(heard[1], down(1, Reason::Normal), "the word, then the end");
        assert_eq!(
            heard[2],
            down(2, Reason::Error("connection refused".into()))
        );
        let Heard::Down(Down {
            who: 3,
            reason: Reason::Panicked(panic),
        }) = &heard[3]
        else {
            panic!("worker 3 should have panicked: {:?}", heard[3]);
        };
        assert_eq!(panic.message, "worker 3 broke");
        assert!(
            panic
                .place
                .as_deref()
                .is_some_and(|place| place.contains("monitor.rs")),
            "{panic:?}"
        );
        assert_eq!(heard[4], down(4, Reason::Killed));
    }

    #[test]
    fn a_reason_says_how_it_ended() {
        assert_eq!(Reason::<String>::Normal.to_string(), "normal");
        assert_eq!(Reason::Error("refused").to_string(), "refused");
        assert_eq!(Reason::<String>::Killed.to_string(), "killed");
        let panic = Reason::<String>::Panicked(TaskPanicked {
            message: "oops".into(),
            place: Some("x.rs:1:2".into()),
        });
        assert_eq!(panic.to_string(), "the task panicked at x.rs:1:2: oops");
        assert!(Reason::<String>::Normal.is_normal());
        assert!(!Reason::<String>::Killed.is_normal());
    }
}
