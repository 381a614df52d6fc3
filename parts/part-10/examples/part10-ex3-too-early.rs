//! Exercise 3 of part 10: an errback too early. Client 5.1 with
//! `cummingsify_failed` moved *above* the transform. Run it with a seed
//! that gives a poem the bug, and explain what you see.
//!
//! ```text
//! cargo run -p part-10 --example part10-ex3-too-early -- --seed 2 10000
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_06::Task;
use part_07::Deferred;
use part_10::Client5Args;
use part_10::Dice;
use part_10::client_5_1::{cummingsify, cummingsify_failed};

/// Client 5.1 with its errback above the transform instead of below it.
#[derive(Debug, Parser)]
#[command(name = "part10-ex3-too-early")]
struct Args {
    #[command(flatten)]
    client: Client5Args,
}

// ANCHOR: too_early
/// Client 5.1's two steps in the wrong order: the errback first.
pub fn too_early(download: Deferred<Vec<u8>>, task: &Task, dice: Dice) -> Deferred<Vec<u8>> {
    download
        .add_errback(cummingsify_failed(task))
        .add_callback(cummingsify(dice))
}
// ANCHOR_END: too_early

fn main() -> ExitCode {
    let args = Args::parse();
    part_10::run::main(&args.client, too_early)
}
