//! Functions lifted over deferreds, on a virtual clock: nested calls that
//! read like plain ones, a failed argument that skips every call above it
//! and cancels its sibling, and a lifted errback that recovers.
//!
//! ```text
//! cargo run -p part-18 --example lifted-calls
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::cli::fail;
use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure};
use part_17::Runtime;
use part_18::lifted::{lift1, lift2, recover};

/// Shows lifted functions: nesting, failures, cancel, recovery.
#[derive(Debug, Parser)]
#[command(name = "lifted-calls")]
struct Args {}

/// Prints `what` at the reactor's time.
fn say(rt: &Runtime, what: &str) {
    println!("{:>4.1}s  {what}", rt.reactor().now().as_secs_f64());
}

/// A pretend download of `name` that ends after `secs` seconds (with a
/// failure if `fails`), and says so if it is cancelled.
fn fetch(rt: &Runtime, name: &'static str, secs: u64, fails: bool) -> Deferred<String> {
    let clock = rt.clone();
    rt.sleep(Duration::from_secs(secs)).add_callbacks(
        move |()| {
            if fails {
                return Err(Failure::msg(format!("{name}: connection refused")));
            }
            Ok(format!("  the poem {name}  "))
        },
        move |failure: Failure| {
            say(&clock, &format!("fetch {name} cancelled"));
            Err(failure)
        },
    )
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let reactor = match Reactor::with(BackendKind::Mio, VirtualClock::new()) {
        Ok(reactor) => reactor,
        Err(error) => return fail(format!("cannot make a reactor: {error}")),
    };
    let rt = Runtime::new(&reactor);
    let show = |label: &'static str| {
        let rt = rt.clone();
        move |outcome: Result<String, Failure>| match outcome {
            Ok(text) => say(&rt, &format!("{label}: {text:?}")),
            Err(failure) => say(&rt, &format!("{label} failed: {}", failure.message())),
        }
    };
    // ANCHOR: functions
    let (c, r, j) = (rt.clone(), rt.clone(), rt.clone());
    let cleanup = lift1(move |poem: String| {
        say(&c, "cleanup called");
        Ok(poem.trim().to_string())
    });
    let reformat = lift1(move |poem: String| {
        say(&r, "reformat called");
        Ok(poem.to_uppercase())
    });
    let combine = lift2(move |a: String, b: String| {
        say(&j, "combine called");
        Ok(format!("{a} / {b}"))
    });
    let or_default = recover(|_: Failure| Ok("(no poems today)".to_string()));
    // ANCHOR_END: functions
    // ANCHOR: scene
    println!("Nested calls:");
    let _ = reformat(cleanup(fetch(&rt, "tyger", 2, false))).add_both(show("tyger"));
    let _ = rt.block_on(rt.sleep(Duration::from_secs(3)).into_future());

    println!("Two arguments, one of which fails:");
    let raven = cleanup(fetch(&rt, "raven", 1, true));
    let _ = combine(raven, fetch(&rt, "panther", 3, false)).add_both(show("both"));
    let _ = rt.block_on(rt.sleep(Duration::from_secs(4)).into_future());

    println!("The same, with a lifted errback around it:");
    let raven = cleanup(fetch(&rt, "raven", 1, true));
    let both = combine(raven, fetch(&rt, "panther", 3, false));
    let _ = or_default(both).add_both(show("recovered"));
    let _ = rt.block_on(rt.sleep(Duration::from_secs(4)).into_future());
    // ANCHOR_END: scene
    ExitCode::SUCCESS
}
