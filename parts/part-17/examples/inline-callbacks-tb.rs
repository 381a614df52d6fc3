//! Part 17, `inline-callbacks-tb`: who runs the code after an `.await`?
//!
//! The block prints the stack from inside itself, after its first
//! `.await`. The answer is the same as for every callback since part 3:
//! `main` at the top, the reactor's loop below it, then the runtime's
//! drain polling the task, then the block. The code reads like a plain
//! function, but it is still a callback, called by the reactor.
//!
//! `cargo run -p part-17 --example inline-callbacks-tb`

use std::process::ExitCode;
use std::time::Duration;

use part_03::Reactor;
use part_03::stack::{print_stack, workspace_stack};
use part_07::Failure;
use part_17::Runtime;

// ANCHOR: block
/// Waits once, then shows who called it.
async fn my_callbacks(runtime: Runtime) -> Result<(), Failure> {
    runtime.sleep(Duration::ZERO).await?;
    println!("Inside the block, after an .await. The stack, outermost call first:");
    print_stack(&workspace_stack(), 2);
    runtime.reactor().stop()?;
    Ok(())
}
// ANCHOR_END: block

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = Runtime::new(&reactor);
    reactor.call_when_running(move || {
        let _done = runtime.inline_callbacks(my_callbacks(runtime.clone()));
    });
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
