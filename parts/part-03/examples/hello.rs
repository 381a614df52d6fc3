//! Part 3, `hello`: the reactor calls us.
//!
//! We never call `hello` ourselves. We hand it to the reactor with
//! `call_when_running`, start the loop with `run`, and the reactor calls it
//! as soon as the loop is going. `hello` prints its greeting and asks the
//! reactor to stop; `run` returns, and `main` carries on after it.
//!
//! `cargo run -p part-03 --example hello`

use std::process::ExitCode;

use part_03::{Reactor, ReactorError};

// ANCHOR: hello
fn hello(reactor: &Reactor) -> Result<(), ReactorError> {
    println!("Hello from the reactor loop!");
    println!("Nobody in main called me: the reactor did, from inside run().");
    // Without this the reactor would wait for ever, like `simple`.
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
    println!("The reactor has stopped, and main goes on.");
    ExitCode::SUCCESS
}
// ANCHOR_END: hello
