//! Part 1, exercise 3: how the models scale with the number of tasks.
//!
//! N copies of a task that works 10 ms, waits 1 s, and works 10 ms again,
//! for N from 1 to 256, scheduled ideally (computed, not run).
//!
//! `cargo run -p part-01 --example part01-ex03`

use std::time::Duration;

use part_01::timeline::format_secs;
use part_01::{Step, Task, ideal_timelines};

// ANCHOR: solution
/// The numbers of tasks to try.
pub const COUNTS: [usize; 9] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/// The ideal totals (synchronous, threaded, asynchronous) of `n` copies of
/// a task that works 10 ms, waits 1 s and works 10 ms again.
pub fn totals(n: usize) -> [Duration; 3] {
    let ms = Duration::from_millis;
    let tasks: Vec<Task> = (1..=n)
        .map(|i| {
            let steps = [Step::Work(ms(10)), Step::Wait(ms(1000)), Step::Work(ms(10))];
            Task::new(format!("task {i}"), steps)
        })
        .collect();
    ideal_timelines(&tasks).map(|timeline| timeline.total)
}

fn main() {
    println!(
        "{:>5}  {:>12}  {:>12}  {:>12}",
        "N", "synchronous", "threaded", "asynchronous"
    );
    for n in COUNTS {
        let [sync, threaded, asynchronous] = totals(n);
        println!(
            "{n:>5}  {:>12}  {:>12}  {:>12}",
            format_secs(sync),
            format_secs(threaded),
            format_secs(asynchronous)
        );
    }
    // Synchronous grows by 1.02s per task. Threaded (a core per task, and
    // threads for free) stays at 1.02s. Asynchronous grows by 10ms per task
    // while every task's first piece of work fits inside one wait (up to
    // about 100 tasks), then by 20ms per task: all the work end to end,
    // because the one thread is now the bottleneck, not the waiting.
}
// ANCHOR_END: solution
