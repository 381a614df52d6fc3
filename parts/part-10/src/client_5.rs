//! Client 5.0's step: the transform inside one ordinary callback, which
//! decides for itself what each failure means.

use part_06::Task;
use part_07::Failure;

use crate::cummingsify::{CummingsifyError, Dice, cummingsify};
use crate::lines;

// ANCHOR: try_to_cummingsify
/// The callback of client 5.0: cummingsifies the poem with the task's
/// `dice`. Gibberish is passed on as a failure (the poem is lost); any
/// other error is taken for a bug in cummingsify, and the client falls back
/// on the original poem.
pub fn try_to_cummingsify(
    task: &Task,
    mut dice: Dice,
) -> impl FnOnce(Vec<u8>) -> Result<Vec<u8>, Failure> + 'static {
    let task = task.clone();
    move |poem: Vec<u8>| match cummingsify(&poem, &mut dice) {
        Ok(cummingsified) => Ok(cummingsified),
        Err(CummingsifyError::Gibberish(error)) => Err(Failure::new(error)),
        Err(_) => {
            task.printer.out(&lines::cummingsify_failed(task.number));
            Ok(poem)
        }
    }
}
// ANCHOR_END: try_to_cummingsify
