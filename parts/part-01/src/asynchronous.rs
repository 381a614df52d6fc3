//! The asynchronous model: one thread, and the program itself decides which
//! task runs next.
//!
//! Why it is here: this is the model the rest of the series is about. The
//! loop below keeps two collections: tasks *ready* to run, and tasks
//! *waiting* until some moment. It runs a ready task until the task would
//! wait, notes when that wait will be over, and picks another ready task.
//! Only when no task is ready does the thread sleep, and then only until
//! the earliest wait ends. No task ever blocks the thread while another
//! could run.
//!
//! Two things to notice. First, the tasks must cooperate: the loop can only
//! switch at a [`Step::Wait`]; a long [`Step::Work`] holds everyone else up
//! (the `·` in the timeline). Second, this loop is a toy *reactor*: in part
//! 3 the "waiting until a deadline" becomes "waiting until a socket is
//! readable or a timer fires", and the sleep becomes a call to the
//! operating system that wakes on whichever comes first.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Duration;

use crate::clock::{Clock, RealClock, VirtualClock};
use crate::task::{Step, Task};
use crate::timeline::{Activity, Timeline};

/// The title of an asynchronous timeline.
pub const TITLE: &str = "Asynchronous";

/// Runs the tasks interleaved on this one thread, really spinning and
/// sleeping, and records what happened.
pub fn run_asynchronous(tasks: &[Task]) -> Timeline {
    run_with(tasks, &mut RealClock::start())
}

/// The same schedule computed rather than run: the loop below driven by a
/// [`VirtualClock`], on which work and sleep take no real time.
pub fn ideal(tasks: &[Task]) -> Timeline {
    run_with(tasks, &mut VirtualClock::new())
}

// ANCHOR: loop
/// A task the loop has parked: when its wait ends, and when it began.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Parked {
    until: Duration,
    row: usize,
    since: Duration,
}

/// Runs the tasks interleaved on one thread, with time taken from `clock`.
pub fn run_with(tasks: &[Task], clock: &mut impl Clock) -> Timeline {
    let mut timeline = Timeline::new(TITLE, tasks.iter().map(|t| t.name.as_str()));
    // Where each task has got to, and since when it has been ready.
    let mut next_steps: Vec<_> = tasks.iter().map(|t| t.steps.iter()).collect();
    let mut ready_since = vec![Duration::ZERO; tasks.len()];
    // Tasks that can run now, in turn; and tasks waiting, earliest end first.
    let mut ready: VecDeque<usize> = (0..tasks.len()).collect();
    let mut waiting: BinaryHeap<Reverse<Parked>> = BinaryHeap::new();

    loop {
        // 1. Every task whose wait is over becomes ready again.
        let now = clock.now();
        while let Some(&Reverse(parked)) = waiting.peek() {
            if parked.until > now {
                break;
            }
            waiting.pop();
            timeline.push(parked.row, Activity::Waiting, parked.since, parked.until);
            ready_since[parked.row] = parked.until;
            ready.push_back(parked.row);
        }

        // 2. Run one ready task until it has to wait (or has finished).
        if let Some(row) = ready.pop_front() {
            if now > ready_since[row] {
                timeline.push(row, Activity::Ready, ready_since[row], now);
            }
            for &step in next_steps[row].by_ref() {
                let start = clock.now();
                match step {
                    Step::Work(d) => {
                        clock.work(d);
                        timeline.push(row, Activity::Running, start, clock.now());
                    }
                    Step::Wait(d) => {
                        // Do not wait here: note when to come back, move on.
                        let parked = Parked {
                            until: start + d,
                            row,
                            since: start,
                        };
                        waiting.push(Reverse(parked));
                        break;
                    }
                }
            }
            continue;
        }

        // 3. Nothing can run: sleep until the earliest wait ends, or stop.
        match waiting.peek() {
            Some(&Reverse(parked)) => clock.sleep_until(parked.until),
            None => break,
        }
    }
    timeline.total = clock.now();
    timeline
}
// ANCHOR_END: loop

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::demo_tasks;

    fn ticks(t: Duration) -> f64 {
        t.as_secs_f64() / 0.01
    }

    #[test]
    fn ideal_schedule_of_the_demo() {
        let timeline = ideal(&demo_tasks(Duration::from_millis(10)));
        // Worked out by hand in ticks: see the chapter's figure.
        assert!(
            (ticks(timeline.total) - 15.0).abs() < 1e-6,
            "{:?}",
            timeline.total
        );
        assert_eq!(timeline.overlap(Activity::Running), Duration::ZERO);
        // Task 3's last wait ends at tick 12, but it runs only at tick 14.
        let ready: Vec<_> = timeline
            .row_spans(2)
            .into_iter()
            .filter(|s| s.activity == Activity::Ready)
            .map(|s| (ticks(s.start).round(), ticks(s.end).round()))
            .collect();
        assert_eq!(ready, [(0.0, 3.0), (12.0, 14.0)]);
    }

    #[test]
    fn a_task_that_only_waits_never_delays_the_others() {
        let ms = Duration::from_millis;
        let tasks = [
            Task::new("sleeper", [Step::Wait(ms(50))]),
            Task::new(
                "worker",
                [Step::Work(ms(10)), Step::Wait(ms(10)), Step::Work(ms(10))],
            ),
        ];
        let timeline = ideal(&tasks);
        assert_eq!(timeline.total, ms(50));
        assert!(
            timeline
                .spans
                .iter()
                .all(|s| s.activity != Activity::Ready || s.row != 1)
        );
    }

    #[test]
    fn no_tasks_means_nothing_to_do() {
        let timeline = ideal(&[]);
        assert_eq!(timeline.total, Duration::ZERO);
        assert!(timeline.spans.is_empty());
    }
}
