//! Part 1, exercise 2: one task that hogs the thread.
//!
//! The demo's three tasks plus a fourth that waits a little and then
//! computes for a long time without ever waiting. Threads do not mind: the
//! operating system gives the hog its own core, or a share of one. The
//! asynchronous loop can switch only when a task waits, so every other task
//! sits ready (`·`) until the hog is done. A blocking call (a `read` on a
//! blocking socket, a `std::thread::sleep`) holds the thread in just the
//! same way.
//!
//! `cargo run -p part-01 --example part01-ex02`

use std::time::Duration;

use part_01::timeline::format_secs;
use part_01::{Activity, Step, Task, Timeline, demo_tasks, run_asynchronous, run_threaded};

// ANCHOR: solution
/// The demo's three tasks plus task 4, which waits one tick and then
/// computes for eight ticks without a break.
pub fn tasks_with_hog(tick: Duration) -> Vec<Task> {
    let mut tasks = demo_tasks(tick);
    tasks.push(Task::new(
        "task 4",
        [Step::Wait(tick), Step::Work(tick * 8)],
    ));
    tasks
}

/// How long the tasks sat ready but not running, all of them added up.
pub fn time_ready(timeline: &Timeline) -> Duration {
    timeline
        .spans
        .iter()
        .filter(|s| s.activity == Activity::Ready)
        .map(|s| s.duration())
        .sum()
}

fn main() {
    let tasks = tasks_with_hog(Duration::from_millis(50));
    let threaded = run_threaded(&tasks);
    let asynchronous = run_asynchronous(&tasks);
    let scale = threaded.total.max(asynchronous.total);
    println!("{}", threaded.render_scaled(56, scale));
    println!("{}", asynchronous.render_scaled(56, scale));

    println!("Threaded:     total {}", format_secs(threaded.total));
    println!(
        "Asynchronous: total {}, tasks ready but not running for {} in all",
        format_secs(asynchronous.total),
        format_secs(time_ready(&asynchronous))
    );
}
// ANCHOR_END: solution
