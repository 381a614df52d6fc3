//! Part 17, `inline-callbacks-2`: what the deferred of an `async` block
//! fires with.
//!
//! [`Runtime::inline_callbacks`] gives back a deferred that fires once
//! the whole block is done: with the value the block returns (Python's
//! `returnValue`), or with the failure it ends in. Two blocks run side by
//! side, each pausing twice on a timer; their prints interleave, as two
//! chains of callbacks on one reactor would. One returns a value, the
//! other fails, and ordinary callbacks and errbacks on their deferreds
//! see each outcome.
//!
//! `cargo run -p part-17 --example inline-callbacks-2`

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Deferred, Failure};
use part_17::Runtime;

/// The first block's pause (the second's is longer by half).
const STEP: Duration = Duration::from_millis(200);

// ANCHOR: blocks
/// Pauses twice, then returns 1.
async fn my_callbacks_1(runtime: Runtime) -> Result<u32, Failure> {
    println!("my_callbacks_1 first callback");
    runtime.sleep(STEP).await?;
    println!("my_callbacks_1 second callback");
    runtime.sleep(STEP).await?;
    println!("my_callbacks_1 third callback");
    Ok(1)
}

/// Pauses twice, then fails.
async fn my_callbacks_err(runtime: Runtime) -> Result<u32, Failure> {
    println!("my_callbacks_err first callback");
    runtime.sleep(STEP * 3 / 2).await?;
    println!("my_callbacks_err second callback");
    runtime.sleep(STEP * 3 / 2).await?;
    println!("my_callbacks_err third callback");
    Err(Failure::msg("uh oh"))
}
// ANCHOR_END: blocks

// ANCHOR: run_callbacks
/// Starts both blocks, and stops the reactor when both deferreds fired.
fn run_callbacks(runtime: &Runtime) {
    let finished = Rc::new(Cell::new(0));
    let both: [Deferred<u32>; 2] = [
        runtime.inline_callbacks(my_callbacks_1(runtime.clone())),
        runtime.inline_callbacks(my_callbacks_err(runtime.clone())),
    ];
    for d in both {
        let (count, reactor) = (Rc::clone(&finished), runtime.reactor().clone());
        let _ = d
            .add_callbacks(
                |result: u32| println!("got result: {result}"),
                |failure: Failure| println!("got error: {failure}"),
            )
            .add_both(move |_: Result<(), Failure>| {
                count.set(count.get() + 1);
                if count.get() == 2 {
                    println!("all done");
                    let _ = reactor.stop();
                }
            });
    }
}
// ANCHOR_END: run_callbacks

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = Runtime::new(&reactor);
    reactor.call_when_running(move || run_callbacks(&runtime));
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
