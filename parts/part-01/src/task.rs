//! The work to be done: a [`Task`] is a name and a list of [`Step`]s.
//!
//! Why so abstract: part 1 is about *scheduling*, not about sockets. A step
//! either needs the CPU ([`Step::Work`]) or needs the world outside the
//! program to answer ([`Step::Wait`], standing for a slow server, a disk, a
//! timer). Every model runs the very same `Task`s, so any difference between
//! their timelines comes from the model alone.

use std::time::Duration;

use crate::timeline::{Activity, format_secs};

/// One step of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The task computes for this long: the CPU is busy on the task's
    /// thread, and no other task can use that thread meanwhile.
    Work(Duration),
    /// The task waits this long for something outside the program. The
    /// blocking models sleep; the asynchronous model moves on to another task.
    Wait(Duration),
}

impl Step {
    /// How long the step takes when nothing gets in its way.
    pub fn duration(self) -> Duration {
        match self {
            Step::Work(d) | Step::Wait(d) => d,
        }
    }

    /// How a timeline records this step.
    pub fn activity(self) -> Activity {
        match self {
            Step::Work(_) => Activity::Running,
            Step::Wait(_) => Activity::Waiting,
        }
    }
}

/// A named sequence of steps, done in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// Shown as the task's row label in a timeline.
    pub name: String,
    /// What the task does, first step first.
    pub steps: Vec<Step>,
}

impl Task {
    /// A task with the given name and steps.
    pub fn new(name: impl Into<String>, steps: impl IntoIterator<Item = Step>) -> Self {
        Task {
            name: name.into(),
            steps: steps.into_iter().collect(),
        }
    }

    /// How long the task takes on its own: all its steps added up.
    pub fn duration(&self) -> Duration {
        self.steps.iter().map(|s| s.duration()).sum()
    }

    /// How much of that is [`Step::Work`].
    pub fn work(&self) -> Duration {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Work(d) => Some(*d),
                Step::Wait(_) => None,
            })
            .sum()
    }

    /// How much of that is [`Step::Wait`].
    pub fn waiting(&self) -> Duration {
        self.duration() - self.work()
    }

    /// The task's shape in timeline glyphs, one glyph per `unit` of time
    /// (at least one per step), e.g. `██░░░░░█`.
    pub fn sketch(&self, unit: Duration) -> String {
        let mut out = String::new();
        for step in &self.steps {
            let cells = if unit.is_zero() {
                1
            } else {
                (step.duration().as_secs_f64() / unit.as_secs_f64())
                    .round()
                    .max(1.0) as usize
            };
            out.extend(std::iter::repeat_n(step.activity().glyph(), cells));
        }
        out
    }

    /// A one-line summary: `work 0.40s + wait 0.80s = 1.20s`.
    pub fn summary(&self) -> String {
        format!(
            "work {} + wait {} = {}",
            format_secs(self.work()),
            format_secs(self.waiting()),
            format_secs(self.duration())
        )
    }
}

/// All the steps of all the tasks added up: how long the tasks take if
/// nothing overlaps.
pub fn sum_of_steps(tasks: &[Task]) -> Duration {
    tasks.iter().map(Task::duration).sum()
}

/// The longest single task: no model can finish all the tasks sooner.
pub fn longest_task(tasks: &[Task]) -> Duration {
    tasks.iter().map(Task::duration).max().unwrap_or_default()
}

/// The tick the demo uses unless told otherwise.
pub const DEFAULT_TICK: Duration = Duration::from_millis(100);

// ANCHOR: demo_tasks
/// The demo's three tasks, every step a whole number of `tick`s.
///
/// Each task mostly waits, and each mixes work and waiting differently: one
/// does a long stretch of work up front, one waits for a long time once, one
/// does many short rounds.
pub fn demo_tasks(tick: Duration) -> Vec<Task> {
    let work = |n: u32| Step::Work(tick * n);
    let wait = |n: u32| Step::Wait(tick * n);
    vec![
        Task::new("task 1", [work(2), wait(5), work(1), wait(3), work(1)]),
        Task::new("task 2", [work(1), wait(8), work(2)]),
        Task::new(
            "task 3",
            [
                work(1),
                wait(2),
                work(1),
                wait(2),
                work(1),
                wait(2),
                work(1),
            ],
        ),
    ]
}
// ANCHOR_END: demo_tasks

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_add_up() {
        let tasks = demo_tasks(Duration::from_millis(10));
        assert_eq!(tasks.len(), 3);
        assert_eq!(tasks[0].duration(), Duration::from_millis(120));
        assert_eq!(tasks[0].work(), Duration::from_millis(40));
        assert_eq!(tasks[0].waiting(), Duration::from_millis(80));
        assert_eq!(sum_of_steps(&tasks), Duration::from_millis(330));
        assert_eq!(longest_task(&tasks), Duration::from_millis(120));
        // Every task mostly waits.
        assert!(tasks.iter().all(|t| t.waiting() > t.work()));
    }

    #[test]
    fn sketch_and_summary() {
        let task = Task::new(
            "t",
            [
                Step::Work(Duration::from_millis(20)),
                Step::Wait(Duration::from_millis(30)),
                Step::Work(Duration::from_millis(1)),
            ],
        );
        assert_eq!(task.sketch(Duration::from_millis(10)), "██░░░█");
        assert_eq!(task.summary(), "work 0.02s + wait 0.03s = 0.05s");
    }
}
