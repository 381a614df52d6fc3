//! The line client 5.0 adds to part 2's, worded once for every version of
//! the client.

/// `Task N: cummingsify failed, keeping the original` — the series'
/// `Cummingsify failed!`: the transform had a bug, and the client goes on
/// with the poem as it was.
pub fn cummingsify_failed(task: usize) -> String {
    format!("Task {task}: cummingsify failed, keeping the original")
}
