//! The threaded model: every task gets its own operating-system thread.
//!
//! Why it is here: it is the classic answer to "my program waits too much".
//! Each thread runs its task exactly as the synchronous model would (blocking
//! waits and all), but while one thread sleeps the operating system runs
//! another, and on a machine with several cores threads really do run at
//! the same moment. The program does not decide who runs when: the OS does.

use std::thread;
use std::time::{Duration, Instant};

use crate::clock::{RealClock, VirtualClock, calibrate};
use crate::synchronous::run_blocking;
use crate::task::Task;
use crate::timeline::Timeline;

/// The title of a threaded timeline.
pub const TITLE: &str = "Threaded";

// ANCHOR: threaded
/// Runs every task on a thread of its own, all at once, and records what
/// happened. Returns when the last thread has finished.
pub fn run_threaded(tasks: &[Task]) -> Timeline {
    let mut timeline = Timeline::new(TITLE, tasks.iter().map(|t| t.name.as_str()));
    calibrate(); // measure the busy loop before the clock starts
    let origin = Instant::now();
    thread::scope(|scope| {
        let threads: Vec<_> = tasks
            .iter()
            .enumerate()
            .map(|(row, task)| {
                scope.spawn(move || run_blocking(row, task, &mut RealClock::with_origin(origin)))
            })
            .collect();
        for thread in threads {
            match thread.join() {
                Ok(spans) => timeline.spans.extend(spans),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    timeline.total = origin.elapsed();
    timeline
}
// ANCHOR_END: threaded

/// The same schedule computed rather than run, assuming one core per task:
/// every task runs as if it were alone, all starting at time zero.
pub fn ideal(tasks: &[Task]) -> Timeline {
    let mut timeline = Timeline::new(TITLE, tasks.iter().map(|t| t.name.as_str()));
    for (row, task) in tasks.iter().enumerate() {
        timeline
            .spans
            .extend(run_blocking(row, task, &mut VirtualClock::new()));
    }
    timeline.total = tasks
        .iter()
        .map(Task::duration)
        .max()
        .unwrap_or(Duration::ZERO);
    timeline
}
