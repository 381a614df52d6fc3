//! The lines client 5.0 adds to part 2's: one per poem, saying what the
//! transform did. Worded once, for every version of the client.

use std::fmt::Display;

/// `Task N: cummingsified` — the poem was transformed.
pub fn cummingsified(task: usize) -> String {
    format!("Task {task}: cummingsified")
}

/// `Task N: gibberish, kept the original` — the transform garbled the
/// poem, and the client went on with the poem as it was.
pub fn kept_the_original(task: usize) -> String {
    format!("Task {task}: gibberish, kept the original")
}

/// `Task N: failed: ERROR` — the poem arrived but was lost on the way
/// (printed on standard error). A failed download keeps part 2's line.
pub fn failed(task: usize, error: impl Display) -> String {
    format!("Task {task}: failed: {error}")
}
