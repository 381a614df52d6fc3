//! Exercise 1 of part 10: a second chance. Client 5.0, but when
//! cummingsify turns a poem into gibberish, try it once more (the dice may
//! say otherwise this time) before giving the poem up.
//!
//! ```text
//! cargo run -p part-10 --example part10-ex1-second-chance -- --seed 7 10000 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_06::Task;
use part_07::Failure;
use part_10::client_5::try_to_cummingsify;
use part_10::{Client5Args, CummingsifyError, Dice, cummingsify, lines};

/// Client 5.0 with a second chance for poems that came out as gibberish.
#[derive(Debug, Parser)]
#[command(name = "part10-ex1-second-chance")]
struct Args {
    #[command(flatten)]
    client: Client5Args,
}

// ANCHOR: second_chance
/// Client 5.0's callback with a second chance: after gibberish the poem
/// is still in hand, so it goes through `try_to_cummingsify` with the same
/// dice, whose next throw decides.
pub fn second_chance(
    task: &Task,
    mut dice: Dice,
) -> impl FnOnce(Vec<u8>) -> Result<Vec<u8>, Failure> + 'static {
    let task = task.clone();
    move |poem: Vec<u8>| match cummingsify(&poem, &mut dice) {
        Ok(cummingsified) => Ok(cummingsified),
        Err(CummingsifyError::Gibberish(_)) => try_to_cummingsify(&task, dice)(poem),
        Err(_) => {
            task.printer.out(&lines::cummingsify_failed(task.number));
            Ok(poem)
        }
    }
}
// ANCHOR_END: second_chance

fn main() -> ExitCode {
    let args = Args::parse();
    part_10::run::main(&args.client, |deferred, task, dice| {
        deferred.add_callback(second_chance(task, dice))
    })
}
