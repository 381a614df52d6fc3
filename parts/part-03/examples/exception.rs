//! Part 3, `exception`: a callback that fails does not bring the reactor
//! down.
//!
//! Three timed calls, a tenth of a second apart. The first panics; the
//! second returns an error. The reactor catches both, prints a line on
//! standard error for each (`Unhandled error in …`), and goes on with its
//! loop, so the third callback runs as planned, and stops the reactor.
//!
//! `cargo run -p part-03 --example exception`

use std::num::ParseIntError;
use std::process::ExitCode;
use std::time::Duration;

use part_03::{Reactor, ReactorError};

// ANCHOR: exception
fn falls_down() {
    println!("Callback 1: about to panic.");
    panic!("callback 1 fell down");
}

fn returns_an_error() -> Result<(), ParseIntError> {
    println!("Callback 2: about to return an error.");
    let number: u32 = "five".parse()?;
    println!("unreachable: {number}");
    Ok(())
}

fn gets_up_again(reactor: &Reactor) -> Result<(), ReactorError> {
    println!(
        "Callback 3: still here. The reactor reported {} failures and went on.",
        reactor.failures()
    );
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
    let tenth = Duration::from_millis(100);
    reactor.call_later(tenth, falls_down);
    reactor.call_later(2 * tenth, returns_an_error);
    let handle = reactor.clone();
    reactor.call_later(3 * tenth, move || gets_up_again(&handle));

    println!("Starting the reactor: three callbacks to come, and two will fail.");
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!("The reactor stopped cleanly.");
    ExitCode::SUCCESS
}
// ANCHOR_END: exception
