//! `defer-10`: a callback that returns a deferred.
//!
//! The outer deferred's first callback returns an inner deferred, which a
//! timed call on the reactor fires a little later. Every step prints a
//! line, so the order shows what waited for what:
//!
//! 1. the outer deferred fires; its first callback returns the inner
//!    deferred; the outer chain is paused (its second callback has not
//!    run); the timer fires the inner deferred; the inner chain's own
//!    callback runs, then the outer chain goes on with the inner result;
//! 2. the same, but the timer fails the inner deferred, and the failure
//!    goes on down the outer chain, to the outer errback.
//!
//! ```text
//! cargo run -p part-13 --example defer-10
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::Reactor;
use part_07::{Deferred, Failure, deferred};

/// A callback that returns a deferred: the outer chain pauses until the
/// inner deferred, fired by a reactor timer, fires; once with a result,
/// once with a failure.
#[derive(Debug, Parser)]
#[command(name = "defer-10")]
struct Args {
    /// Milliseconds before the timer fires the inner deferred.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=5000))]
    delay_ms: u64,
}

/// How one scene's timer ends the inner deferred.
#[derive(Clone, Copy)]
enum Ending {
    Result,
    Failure,
}

/// Prints `line` after the reactor's time, in milliseconds.
fn at(reactor: &Reactor, line: &str) {
    println!("{:>5} ms  {line}", reactor.now().as_millis());
}

// ANCHOR: scene
/// One scene: an outer chain whose first callback returns an inner
/// deferred, which a timer ends `ending` after `delay`.
fn scene(reactor: &Reactor, delay: Duration, ending: Ending) -> Deferred<()> {
    let (outer, outer_trigger) = deferred::<&'static str>();
    let went_on = Rc::new(Cell::new(false));
    let (went_on_1, went_on_2, looked_at) = (
        Rc::clone(&went_on),
        Rc::clone(&went_on),
        Rc::clone(&went_on),
    );
    let (r1, r2, r3, r4, r5) = (
        reactor.clone(),
        reactor.clone(),
        reactor.clone(),
        reactor.clone(),
        reactor.clone(),
    );
    let outer = outer
        .add_callback(move |poem: &'static str| {
            at(
                &r1,
                &format!("outer callback 1 got {poem:?}; returns an inner deferred"),
            );
            let (inner, inner_trigger) = deferred::<String>();
            let timer = r1.clone();
            let _ = r1.call_later(delay, move || {
                at(&timer, "the timer fires the inner deferred");
                let _ = match ending {
                    Ending::Result => inner_trigger.callback(poem.to_uppercase()),
                    Ending::Failure => inner_trigger.errback(Failure::msg("the inner work failed")),
                };
            });
            inner.add_callback(move |loud: String| {
                at(&r2, &format!("  inner callback got {loud:?}"));
                Ok(loud)
            })
        })
        .add_callbacks(
            move |loud: String| {
                went_on_1.set(true);
                at(&r3, &format!("outer callback 2 goes on with {loud:?}"));
                Ok(())
            },
            move |failure: Failure| {
                went_on_2.set(true);
                at(&r4, &format!("outer errback got {failure}"));
                Ok(())
            },
        );
    at(reactor, "firing the outer deferred");
    let _ = outer_trigger.callback("tyger tyger");
    at(
        reactor,
        &format!("the outer trigger has returned; the outer chain: {outer:?}"),
    );
    let after = reactor.clone();
    let _ = r5.call_later(delay / 2, move || {
        let gone_on = if looked_at.get() { "has" } else { "has not" };
        at(
            &after,
            &format!("halfway: the reactor is free; the outer chain {gone_on} gone on"),
        );
    });
    outer
}
// ANCHOR_END: scene

fn main() -> ExitCode {
    let args = Args::parse();
    let delay = Duration::from_millis(args.delay_ms);
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let scenes = [
        (
            "Scene 1: the inner deferred fires with a result.",
            Ending::Result,
        ),
        ("Scene 2: the inner deferred fails.", Ending::Failure),
    ];
    for (title, ending) in scenes {
        println!("{title}");
        let stop = reactor.clone();
        let _ = scene(&reactor, delay, ending).add_callback(move |()| {
            let _ = stop.stop();
        });
        if let Err(error) = reactor.run() {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
        println!();
    }
    println!("In both scenes the outer chain waited for the inner deferred, and went on");
    println!("with what it ended with: a result to the next callback, a failure to the");
    println!("next errback.");
    ExitCode::SUCCESS
}
