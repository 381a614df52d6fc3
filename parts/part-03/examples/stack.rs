//! Part 3, `stack`: who calls a callback? Print the stack from inside one.
//!
//! A callback scheduled with `call_when_running` captures a backtrace and
//! prints the frames that belong to this workspace, outermost first: `main`
//! at the top, then the reactor's own functions (`run`, its loop, the code
//! that calls a callback and catches its panics), and only then our
//! callback. The reactor sits between `main` and every piece of our code
//! that runs while it runs.
//!
//! Frames of the standard library and of the C runtime are left out, and no
//! addresses are shown, so the output is the same from run to run.
//!
//! `cargo run -p part-03 --example stack`

use std::process::ExitCode;

use part_03::stack::{print_stack, workspace_stack};
use part_03::{Reactor, ReactorError};

// ANCHOR: stack
fn show_the_stack(reactor: &Reactor) -> Result<(), ReactorError> {
    println!("The Rust stack:");
    print_stack(&workspace_stack(), 2);
    // The series' script never stops; ours does, once it has printed.
    reactor.stop()
}

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let handle = reactor.clone();
    reactor.call_when_running(move || show_the_stack(&handle));
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: stack
