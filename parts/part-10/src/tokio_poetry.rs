//! Client 5.0 as a Rust programmer writes it today: an `async fn` on
//! tokio, where the chain of callbacks and errbacks becomes the lines of a
//! function, `?` passes a failure on, and a `match` on the error's type
//! does what `trap` did.

use std::string::FromUtf8Error;

use futures::future::join_all;
use part_02::{FetchError, report};
use part_06::Task;
use part_08::tokio_poetry::get_poetry;

use crate::cummingsify::{CummingsifyBug, CummingsifyError, Dice, cummingsify, task_dice};
use crate::lines;

// ANCHOR: poem_error
/// Why a task kept no poem. Gibberish is not here: it is recovered from.
#[derive(Debug, thiserror::Error)]
pub enum PoemError {
    /// The download failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The poem was not text.
    #[error(transparent)]
    NotText(#[from] FromUtf8Error),
    /// cummingsify has a bug.
    #[error(transparent)]
    Bug(#[from] CummingsifyBug),
}
// ANCHOR_END: poem_error

// ANCHOR: get_transformed_poem
/// Downloads the task's poem and cummingsifies it; on gibberish, goes on
/// with the original. Every other failure is returned.
pub async fn get_transformed_poem(task: &Task, dice: &mut Dice) -> Result<String, PoemError> {
    let poem = get_poetry(task.addr, task.timeouts, |bytes| task.report_chunk(bytes)).await?;
    let poem = String::from_utf8(poem)?;
    match cummingsify(poem, dice) {
        Ok(poem) => {
            task.printer.out(&lines::cummingsified(task.number));
            Ok(poem)
        }
        Err(CummingsifyError::Gibberish(gibberish)) => {
            task.printer.out(&lines::kept_the_original(task.number));
            Ok(gibberish.into_original())
        }
        Err(CummingsifyError::Bug(bug)) => Err(bug.into()),
    }
}
// ANCHOR_END: get_transformed_poem

// ANCHOR: or_else
/// `keep_the_original` in the `Result` world: gibberish becomes the
/// original poem, a bug stays an error. The error type says what is left:
/// after this, gibberish *cannot* be the reason, so it is not in the type.
pub fn recover_from_gibberish(
    outcome: Result<String, CummingsifyError>,
) -> Result<String, CummingsifyBug> {
    outcome.or_else(|error| match error {
        CummingsifyError::Gibberish(gibberish) => Ok(gibberish.into_original()),
        CummingsifyError::Bug(bug) => Err(bug),
    })
}
// ANCHOR_END: or_else

// ANCHOR: get_poem
/// One task: the poem, or the report of why there is none.
async fn get_poem(task: &Task, mut dice: Dice, print: bool) -> Option<String> {
    match get_transformed_poem(task, &mut dice).await {
        Ok(poem) => {
            if print {
                task.printer.out(poem.trim_end());
            }
            Some(poem)
        }
        Err(PoemError::Fetch(error)) => {
            task.printer
                .err(&report::failed(task.number, &task.address, error));
            None
        }
        Err(error) => {
            task.printer.err(&lines::failed(task.number, error));
            None
        }
    }
}

/// Every task at once, each with its own dice forked from `seed` in task
/// order (as client 5.0's), awaited together with `join_all`.
pub async fn get_poems(tasks: &[Task], seed: u64, print: bool) -> Vec<Option<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fate;

    #[test]
    fn or_else_keeps_the_original_and_lets_the_bug_through() {
        let poem = || "The Tyger".to_string();
        let outcome = |fate: Fate| recover_from_gibberish(fate.apply(poem()));
        assert_eq!(outcome(Fate::Lowercase), Ok("the tyger".to_string()));
        assert_eq!(outcome(Fate::Gibberish), Ok(poem()));
        assert_eq!(outcome(Fate::Bug), Err(CummingsifyBug));
    }
}
