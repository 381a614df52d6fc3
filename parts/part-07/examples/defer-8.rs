//! Part 7, `defer-8`: a deferred fired with a failure by the reactor.
//!
//! `defer-7` turned the other way: 200 ms after the reactor starts, a timed
//! call fires the deferred with a failure. This time it is the errback
//! that stops the reactor, after printing what went wrong. Whoever hands
//! work to the reactor must make sure the program ends whichever way the
//! work ends: here the callback and the errback both stop the reactor.
//!
//! `cargo run -p part-07 --example defer-8`

use std::process::ExitCode;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Failure, deferred};

/// How long after the start the timed call fires the deferred.
const DELAY: Duration = Duration::from_millis(200);

// ANCHOR: handlers
/// Prints the poem and stops the reactor.
fn got_poem(reactor: &Reactor, poem: String) -> Result<(), Failure> {
    println!("Your poem is served:");
    println!("{poem}");
    reactor.stop()?;
    Ok(())
}

/// Prints the failure and stops the reactor: no poem is coming.
fn poem_failed(reactor: &Reactor, failure: Failure) -> Result<(), Failure> {
    println!("No poetry for you.");
    println!("{failure}");
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

    reactor.call_later(DELAY, move || {
        trigger.errback(Failure::msg("the poetry server did not answer"))
    });

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
