//! Part 7, `defer-9`: one function that stops the reactor whichever way
//! the deferred fires.
//!
//! In `defer-8` the callback and the errback each stopped the reactor: the
//! same line, written twice. Here they only print, and a third function,
//! `poem_done`, added with `add_both` after the pair, stops the reactor. It
//! is called with the outcome of the pair, whatever it was, so it runs
//! after the callback *or* the errback.
//!
//! The program shows both ways in turn. A reactor of ours can be run
//! again after it stopped, so it runs twice: first a timed call fires a
//! deferred with a poem, then another fires a second deferred with a
//! failure. `poem_done` stops the reactor both times.
//!
//! `cargo run -p part-07 --example defer-9`

use std::process::ExitCode;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Failure, deferred};

/// How long after the start of each run the timed call fires the deferred.
const DELAY: Duration = Duration::from_millis(100);

// ANCHOR: handlers
/// Prints the poem.
fn got_poem(poem: String) {
    println!("  Your poem is served:");
    println!("  {poem}");
}

/// Prints why there is no poem.
fn poem_failed(failure: Failure) {
    println!("  No poetry for you. ({})", failure.message());
}

/// Whatever happened, we are done: stop the reactor.
fn poem_done(reactor: &Reactor, outcome: Result<(), Failure>) -> Result<(), Failure> {
    // The pair before us returned normally either way, so we get `Ok(())`
    // both times: an errback that returns normally has dealt with the failure.
    let after = match outcome {
        Ok(()) => "a result",
        Err(_) => "a failure",
    };
    println!("  poem_done (the pair ended with {after}): stopping the reactor.");
    reactor.stop()?;
    Ok(())
}
// ANCHOR_END: handlers

/// One run of the reactor, with a deferred that a timed call fires with
/// `outcome`.
fn one_run(reactor: &Reactor, outcome: Result<String, Failure>) -> Result<(), String> {
    // ANCHOR: chain
    let (d, trigger) = deferred::<String>();
    let handle = reactor.clone();
    let _end = d
        .add_callbacks(got_poem, poem_failed)
        .add_both(move |outcome| poem_done(&handle, outcome));
    // ANCHOR_END: chain

    reactor.call_later(DELAY, move || match outcome {
        Ok(poem) => trigger.callback(poem),
        Err(failure) => trigger.errback(failure),
    });
    reactor.run().map_err(|error| error.to_string())
}

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runs = [
        ("a poem", Ok("Tyger Tyger, burning bright,".to_string())),
        (
            "a failure",
            Err(Failure::msg("the poetry server did not answer")),
        ),
    ];
    for (round, (what, outcome)) in runs.into_iter().enumerate() {
        println!(
            "Run {}: starting the reactor; a timed call will fire the deferred with {what}.",
            round + 1
        );
        if let Err(error) = one_run(&reactor, outcome) {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
        println!("Run {}: the reactor has stopped.", round + 1);
    }
    println!("Finished");
    ExitCode::SUCCESS
}
