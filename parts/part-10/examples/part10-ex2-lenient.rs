//! Exercise 2 of part 10: a lenient client. Client 5.0, but gibberish too
//! falls back on the original poem (saying so), so that no poem that
//! arrived is lost to the transform.
//!
//! ```text
//! cargo run -p part-10 --example part10-ex2-lenient -- --seed 7 10000 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_06::Task;
use part_07::Failure;
use part_10::{Client5Args, Dice, cummingsify};

/// Client 5.0 that keeps the original poem whenever cummingsify fails.
#[derive(Debug, Parser)]
#[command(name = "part10-ex2-lenient")]
struct Args {
    #[command(flatten)]
    client: Client5Args,
}

// ANCHOR: lenient
/// Client 5.0's callback, lenient: whatever went wrong, the poem is in
/// hand, so the callback goes on with it and says why.
pub fn try_leniently(
    task: &Task,
    mut dice: Dice,
) -> impl FnOnce(Vec<u8>) -> Result<Vec<u8>, Failure> + 'static {
    let task = task.clone();
    move |poem: Vec<u8>| match cummingsify(&poem, &mut dice) {
        Ok(cummingsified) => Ok(cummingsified),
        Err(error) => {
            let line = format!("Task {}: {error}, keeping the original", task.number);
            task.printer.out(&line);
            Ok(poem)
        }
    }
}
// ANCHOR_END: lenient

fn main() -> ExitCode {
    let args = Args::parse();
    part_10::run::main(&args.client, |deferred, task, dice| {
        deferred.add_callback(try_leniently(task, dice))
    })
}
