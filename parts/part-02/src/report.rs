//! The lines a poetry client prints, worded once for every client in the
//! workspace. Client 1.0, 2.0 and the rest print exactly these, so any two
//! clients' output can be compared line for line.

use std::fmt::Display;
use std::time::Duration;

use crate::format_duration;

/// `Task N: get poetry from: ADDRESS` — a blocking download begins.
pub fn starting(task: usize, address: impl Display) -> String {
    format!("Task {task}: get poetry from: {address}")
}

/// `Task N: got B bytes of poetry from ADDRESS in T` — a blocking download ended.
pub fn got_poem_in(task: usize, bytes: usize, address: impl Display, took: Duration) -> String {
    format!(
        "Task {task}: got {bytes} bytes of poetry from {address} in {}",
        format_duration(took)
    )
}

/// `Task N: got B bytes of poetry from ADDRESS` — a chunk arrived.
pub fn got_chunk(task: usize, bytes: usize, address: impl Display) -> String {
    format!("Task {task}: got {bytes} bytes of poetry from {address}")
}

/// `Task N finished` — a server closed the connection: the poem is complete.
pub fn finished(task: usize) -> String {
    format!("Task {task} finished")
}

/// `Task N: B bytes of poetry` — a poem's size, in the closing summary.
pub fn poem_size(task: usize, bytes: usize) -> String {
    format!("Task {task}: {bytes} bytes of poetry")
}

/// `Task N: failed to get poetry from ADDRESS: ERROR` — printed on standard error.
pub fn failed(task: usize, address: impl Display, error: impl Display) -> String {
    format!("Task {task}: failed to get poetry from {address}: {error}")
}

/// `Got N poems in T` — the closing line.
pub fn total(poems: usize, took: Duration) -> String {
    format!("Got {poems} poems in {}", format_duration(took))
}
