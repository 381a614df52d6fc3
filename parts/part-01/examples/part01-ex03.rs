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
fn main() {
    let ms = Duration::from_millis;
    let task = |n: usize| {
        let steps = [Step::Work(ms(10)), Step::Wait(ms(1000)), Step::Work(ms(10))];
        Task::new(format!("task {n}"), steps)
    };
    println!(
        "{:>5}  {:>12}  {:>12}  {:>12}",
        "N", "synchronous", "threaded", "asynchronous"
    );
    for n in [1, 2, 4, 8, 16, 32, 64, 128, 256] {
        let tasks: Vec<Task> = (1..=n).map(task).collect();
        let [sync, threaded, asynchronous] = ideal_timelines(&tasks);
        println!(
            "{n:>5}  {:>12}  {:>12}  {:>12}",
            format_secs(sync.total),
            format_secs(threaded.total),
            format_secs(asynchronous.total)
        );
    }
    // Synchronous grows by 1.02s per task. Threaded (a core per task, and
    // threads for free) stays at 1.02s. Asynchronous grows by 10ms per task
    // while every task's first piece of work fits inside one wait (N < 100),
    // then by 20ms per task: all the work end to end, because the one thread
    // is now the bottleneck, not the waiting.
}
// ANCHOR_END: solution
