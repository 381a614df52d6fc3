//! Part 3, `exception`: a callback that fails does not bring the reactor
//! down.
//!
//! Two callbacks for when the reactor starts. The first panics; the
//! reactor catches the panic, prints a line on standard error
//! (`Unhandled error in …`), and goes on with its loop, so the second
//! callback runs as planned, and stops the reactor.
//!
//! `cargo run -p part-03 --example exception`

use std::process::ExitCode;

use part_03::{Reactor, ReactorError};

// ANCHOR: exception
fn falldown() {
    panic!("I fall down.");
}

fn upagain(reactor: &Reactor) -> Result<(), ReactorError> {
    println!("But I get up again.");
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
    reactor.call_when_running(falldown);
    let handle = reactor.clone();
    reactor.call_when_running(move || upagain(&handle));
    println!("Starting the reactor.");
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: exception
