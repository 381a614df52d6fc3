//! Part 1, exercise 4: does the order of the tasks matter?
//!
//! The asynchronous loop takes ready tasks first come, first served. This
//! computes its ideal total for every order of the demo's three tasks.
//!
//! `cargo run -p part-01 --example part01-ex04`

use part_01::task::DEFAULT_TICK;
use part_01::timeline::format_secs;
use part_01::{Activity, Task, asynchronous, demo_tasks};

// ANCHOR: solution
fn main() {
    let tasks = demo_tasks(DEFAULT_TICK);
    for order in [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ] {
        let ordered: Vec<Task> = order.iter().map(|&i| tasks[i].clone()).collect();
        let timeline = asynchronous::ideal(&ordered);
        let names: Vec<&str> = ordered.iter().map(|t| t.name.as_str()).collect();
        let ready: std::time::Duration = timeline
            .spans
            .iter()
            .filter(|s| s.activity == Activity::Ready)
            .map(|s| s.duration())
            .sum();
        println!(
            "{}  total {}  (time spent ready but not running: {})",
            names.join(", "),
            format_secs(timeline.total),
            format_secs(ready)
        );
    }
}
// ANCHOR_END: solution
