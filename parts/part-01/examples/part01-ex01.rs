//! Part 1, exercise 1: tasks that only compute.
//!
//! Three tasks that never wait, run in the three models. With nothing to
//! wait for, the asynchronous loop has nothing to overlap and takes as long
//! as the synchronous one; threads help only as far as there are cores.
//!
//! `cargo run -p part-01 --example part01-ex01`

use std::time::Duration;

use part_01::timeline::format_secs;
use part_01::{Step, Task, Timeline, run_asynchronous, run_synchronous, run_threaded};

// ANCHOR: solution
/// Three tasks that each compute for `work` and never wait.
pub fn tasks(work: Duration) -> Vec<Task> {
    (1..=3)
        .map(|n| Task::new(format!("task {n}"), [Step::Work(work)]))
        .collect()
}

/// The tasks really run in each model: synchronous, threaded, asynchronous.
/// Each timeline's `total` is the answer.
pub fn run_models(tasks: &[Task]) -> [Timeline; 3] {
    [
        run_synchronous(tasks),
        run_threaded(tasks),
        run_asynchronous(tasks),
    ]
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("Three tasks of 0.20s of pure work each, on {cores} core(s).\n");
    let runs = run_models(&tasks(Duration::from_millis(200)));
    let scale = runs.iter().map(|t| t.total).max().unwrap_or_default();
    for timeline in &runs {
        println!("{}", timeline.render_scaled(48, scale));
    }
    for timeline in &runs {
        println!("{:<14}{}", timeline.title, format_secs(timeline.total));
    }
    // Synchronous and asynchronous: about 0.60s, one task after another.
    // Threaded: about 0.60s / min(cores, 3), since each core can run only
    // one thread at a time; on 2 cores the three threads share two cores.
}
// ANCHOR_END: solution
