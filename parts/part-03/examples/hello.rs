//! Part 3, `hello`: the reactor calls us.
//!
//! We never call `hello` ourselves. We hand it to the reactor with
//! `call_when_running`, start the loop with `run`, and the reactor calls it
//! as soon as the loop is going. `hello` prints its greeting and asks the
//! reactor to stop, so that `run` returns and the program ends.
//!
//! `cargo run -p part-03 --example hello`

use std::process::ExitCode;

use part_03::{Reactor, ReactorError};

// ANCHOR: hello
fn hello(reactor: &Reactor) -> Result<(), ReactorError> {
    println!("Hello from the reactor loop!");
    println!("Lately I feel like I'm stuck in a rut.");
    // The series' hello never stops (Ctrl-C ends it); without this line
    // ours would wait for ever too, like `simple`.
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
    reactor.call_when_running(move || hello(&handle));
    println!("Starting the reactor.");
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: hello
