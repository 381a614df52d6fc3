//! Part 7, `defer-7`: a deferred fired by the reactor.
//!
//! So far `main` fired its deferreds itself. In a real program the result
//! arrives later, while the reactor runs, and whoever receives it fires the
//! deferred. Here that is a timed call: 200 ms after the reactor starts, it
//! fires the deferred with a poem. The callback prints the poem and stops
//! the reactor, so `run` returns and `main` goes on.
//!
//! The errback only prints. Had the deferred been fired with a failure,
//! nobody would stop the reactor and this program would wait for ever:
//! `defer-8` and `defer-9` fix that.
//!
//! `cargo run -p part-07 --example defer-7`

use std::process::ExitCode;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Failure, deferred};

/// How long after the start the timed call fires the deferred.
const DELAY: Duration = Duration::from_millis(200);

// ANCHOR: handlers
/// Prints the poem and stops the reactor: there is nothing left to wait for.
fn got_poem(reactor: &Reactor, poem: String) -> Result<(), Failure> {
    println!("Your poem is served:");
    println!("{poem}");
    reactor.stop()?; // a ReactorError, should there be one, becomes a Failure
    Ok(())
}

/// Only prints: see the note at the top.
fn poem_failed(_failure: Failure) {
    println!("No poetry for you.");
}
// ANCHOR_END: handlers

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };

    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let handle = reactor.clone();
    let _end = d.add_callbacks(move |poem| got_poem(&handle, poem), poem_failed);

    // The deferred is fired later, by a timed call, from inside `run`.
    let poem = "Tyger Tyger, burning bright,".to_string();
    reactor.call_later(DELAY, move || trigger.callback(poem));

    println!("Starting the reactor; a timed call will fire the deferred.");
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!(
        "The reactor has stopped, {:.1} s after it started.",
        reactor.now().as_secs_f64()
    );
    // ANCHOR_END: main
    ExitCode::SUCCESS
}
