//! Client 5.0 as a Rust programmer writes it today: an `async fn` on
//! tokio, where the chain of callbacks and errbacks becomes the lines of a
//! function, `?` passes a failure on, and a `match` on the error sorts
//! the transform's failures out.

use futures::future::join_all;
use part_02::{FetchError, report};
use part_06::Task;
use part_08::tokio_poetry::get_poetry;

use crate::cummingsify::{CummingsifyError, Dice, GibberishError, cummingsify, task_dice};
use crate::lines;

// ANCHOR: poem_error
/// Why a task kept no poem.
#[derive(Debug, thiserror::Error)]
pub enum PoemError {
    /// The download failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The poem came out as gibberish.
    #[error(transparent)]
    Gibberish(#[from] GibberishError),
}
// ANCHOR_END: poem_error

// ANCHOR: get_transformed_poem
/// Downloads the task's poem and cummingsifies it: gibberish is an error,
/// any other failure of the transform falls back on the original poem.
pub async fn get_transformed_poem(task: &Task, dice: &mut Dice) -> Result<Vec<u8>, PoemError> {
    let poem = get_poetry(task.addr, task.timeouts, |bytes| task.report_chunk(bytes)).await?;
    match cummingsify(&poem, dice) {
        Ok(cummingsified) => Ok(cummingsified),
        Err(CummingsifyError::Gibberish(error)) => Err(error.into()),
        Err(_) => {
            task.printer.out(&lines::cummingsify_failed(task.number));
            Ok(poem)
        }
    }
}
// ANCHOR_END: get_transformed_poem

// ANCHOR: get_poem
/// One task: the poem, or the report of why there is none.
async fn get_poem(task: &Task, mut dice: Dice, print: bool) -> Option<Vec<u8>> {
    match get_transformed_poem(task, &mut dice).await {
        Ok(poem) => {
            task.printer.out(&report::finished(task.number));
            if print {
                task.printer.out(String::from_utf8_lossy(&poem).trim_end());
            }
            Some(poem)
        }
        Err(error) => {
            task.printer
                .err(&report::failed(task.number, &task.address, error));
            None
        }
    }
}

/// Every task at once, each with its own dice forked from `seed` in task
/// order (as client 5.0's), awaited together with `join_all`.
pub async fn get_poems(tasks: &[Task], seed: u64, print: bool) -> Vec<Option<Vec<u8>>> {
    let dice = task_dice(seed, tasks.len());
    join_all(
        tasks
            .iter()
            .zip(dice)
            .map(|(task, dice)| get_poem(task, dice, print)),
    )
    .await
}
// ANCHOR_END: get_poem
