//! Client 5.1's steps: the transform as a callback that fails with a
//! [`CannotCummingsify`] for its bug, and an errback that recovers from
//! that failure alone.

use part_06::Task;
use part_07::Failure;

use crate::cummingsify::{CummingsifyError, Dice};
use crate::lines;

// ANCHOR: cannot
/// cummingsify could not do its work (its bug, in client 5.1). Unlike the
/// bug of client 5.0, this error carries the original poem, so that an
/// errback further down the chain can fall back on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot cummingsify the poem")]
pub struct CannotCummingsify(pub Vec<u8>);
// ANCHOR_END: cannot

// ANCHOR: cummingsify
/// The callback of client 5.1: cummingsifies the poem with the task's
/// `dice`, and turns the bug into a [`CannotCummingsify`] holding the
/// original. Gibberish, and a poem that is not text, fail as they are.
pub fn cummingsify(mut dice: Dice) -> impl FnOnce(Vec<u8>) -> Result<Vec<u8>, Failure> + 'static {
    move |poem: Vec<u8>| match crate::cummingsify(&poem, &mut dice) {
        Ok(cummingsified) => Ok(cummingsified),
        Err(CummingsifyError::Bug(_)) => Err(Failure::new(CannotCummingsify(poem))),
        Err(error) => Err(error.into_failure()),
    }
}

/// The errback of client 5.1: recovers from a [`CannotCummingsify`] by
/// going on with the original poem it carries, and passes every other
/// failure on, unchanged.
pub fn cummingsify_failed(
    task: &Task,
) -> impl FnOnce(Failure) -> Result<Vec<u8>, Failure> + 'static {
    let task = task.clone();
    move |failure: Failure| {
        let CannotCummingsify(original) = failure.trap::<CannotCummingsify>()?;
        task.printer.out(&lines::cummingsify_failed(task.number));
        Ok(original)
    }
}
// ANCHOR_END: cummingsify
