//! Part 1, exercise 4: does the order of the tasks matter?
//!
//! The asynchronous loop takes ready tasks first come, first served. This
//! computes its ideal total for every order of the demo's three tasks.
//!
//! `cargo run -p part-01 --example part01-ex04`

use std::time::Duration;

use part_01::task::DEFAULT_TICK;
use part_01::timeline::format_secs;
use part_01::{Activity, Task, Timeline, asynchronous, demo_tasks};

// ANCHOR: solution
/// The ideal asynchronous timeline of the three `tasks` in each of their
/// six orders. A timeline's rows name the order; its `total` is the answer.
pub fn every_order(tasks: &[Task]) -> Vec<Timeline> {
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    orders
        .iter()
        .map(|order| {
            let ordered: Vec<Task> = order.iter().map(|&i| tasks[i].clone()).collect();
            asynchronous::ideal(&ordered)
        })
        .collect()
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
    for timeline in every_order(&demo_tasks(DEFAULT_TICK)) {
        println!(
            "{}  total {}  (time spent ready but not running: {})",
            timeline.rows.join(", "),
            format_secs(timeline.total),
            format_secs(time_ready(&timeline))
        );
    }
}
// ANCHOR_END: solution
