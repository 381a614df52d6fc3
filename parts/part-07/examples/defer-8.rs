//! Part 7, `defer-8`: a deferred fired by the reactor.
//!
//! So far `main` fired every deferred itself. Here the reactor does it,
//! from a call made when it starts running, as a download would from a
//! socket becoming readable. Whoever hands work to the reactor must make
//! sure the program ends whichever way the work ends: the callback and the
//! errback both stop the reactor.
//!
//! `cargo run -p part-07 --example defer-8`

use std::process::ExitCode;

use part_03::Reactor;
use part_07::{Failure, deferred};

// ANCHOR: handlers
/// Prints the poem and stops the reactor.
fn got_poem(reactor: &Reactor, poem: String) -> Result<(), Failure> {
    println!("{poem}");
    reactor.stop()?; // a ReactorError, should there be one, becomes a Failure
    Ok(())
}

/// Apologises on standard error and stops the reactor: no poem is coming.
fn poem_failed(reactor: &Reactor, _failure: Failure) -> Result<(), Failure> {
    eprintln!("poem download failed");
    eprintln!("I am terribly sorry");
    eprintln!("try again later?");
    reactor.stop()?;
    Ok(())
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
    let (on_poem, on_failure) = (reactor.clone(), reactor.clone());
    let _end = d.add_callbacks(
        move |poem| got_poem(&on_poem, poem),
        move |failure| poem_failed(&on_failure, failure),
    );
    // The deferred is fired by the reactor, once it runs.
    reactor.call_when_running(move || trigger.callback("Another short poem.".to_string()));
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    // ANCHOR_END: main
    ExitCode::SUCCESS
}
