//! The synchronous model: one thread does one task from start to finish,
//! then the next.
//!
//! Why it is here: it is the baseline every program starts from, and it is
//! easy to reason about (at any moment exactly one known task is in
//! progress). Its weakness shows in the timeline: when a task waits, the
//! thread waits with it, so the total time is every step added up.

use crate::clock::{Clock, RealClock};
use crate::task::{Step, Task};
use crate::timeline::{Span, Timeline};

/// The title of a synchronous timeline.
pub const TITLE: &str = "Synchronous";

/// Runs the tasks one after another on this thread, really spinning and
/// sleeping, and records what happened.
pub fn run_synchronous(tasks: &[Task]) -> Timeline {
    run_with(tasks, &mut RealClock::start())
}

// ANCHOR: synchronous
/// Runs the tasks one after another, with time taken from `clock`.
pub fn run_with(tasks: &[Task], clock: &mut impl Clock) -> Timeline {
    let mut timeline = Timeline::new(TITLE, tasks.iter().map(|t| t.name.as_str()));
    for (row, task) in tasks.iter().enumerate() {
        timeline.spans.extend(run_blocking(row, task, clock));
    }
    timeline.total = clock.now();
    timeline
}
// ANCHOR_END: synchronous

// ANCHOR: blocking
/// Does one task's steps in order on this thread: work keeps the CPU busy,
/// a wait blocks the thread. Returns a span per step.
pub(crate) fn run_blocking(row: usize, task: &Task, clock: &mut impl Clock) -> Vec<Span> {
    let mut spans = Vec::with_capacity(task.steps.len());
    for &step in &task.steps {
        let start = clock.now();
        match step {
            Step::Work(d) => clock.work(d),
            Step::Wait(d) => clock.sleep_until(start + d),
        }
        let end = clock.now();
        let activity = step.activity();
        spans.push(Span {
            row,
            activity,
            start,
            end,
        });
    }
    spans
}
// ANCHOR_END: blocking

/// The same schedule computed rather than run: what the synchronous model
/// does on a perfect machine.
pub fn ideal(tasks: &[Task]) -> Timeline {
    run_with(tasks, &mut crate::clock::VirtualClock::new())
}
