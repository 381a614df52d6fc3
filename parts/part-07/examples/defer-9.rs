//! Part 7, `defer-9`: one function that stops the reactor whichever way
//! the deferred fires.
//!
//! In `defer-8` the callback and the errback each stopped the reactor: the
//! same line, written twice. Here they only print, and a third function,
//! `poem_done`, added with `add_both` after the pair, stops the reactor. It
//! is called with the outcome of the pair, whatever it was, so it runs
//! after the callback *or* the errback.
//!
//! `cargo run -p part-07 --example defer-9`

use std::process::ExitCode;

use part_03::Reactor;
use part_07::{Failure, deferred};

// ANCHOR: handlers
/// Prints the poem.
fn got_poem(poem: String) {
    println!("{poem}");
}

/// Apologises on standard error.
fn poem_failed(_failure: Failure) {
    eprintln!("poem download failed");
    eprintln!("I am terribly sorry");
    eprintln!("try again later?");
}

/// Whatever happened, we are done: stop the reactor.
fn poem_done(reactor: &Reactor, _outcome: Result<(), Failure>) -> Result<(), Failure> {
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
    // ANCHOR: chain
    let (d, trigger) = deferred::<String>();
    let handle = reactor.clone();
    let _end = d
        .add_callbacks(got_poem, poem_failed)
        .add_both(move |outcome| poem_done(&handle, outcome));
    // ANCHOR_END: chain
    reactor.call_when_running(move || trigger.callback("Another short poem.".to_string()));
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
