//! A controllable deferred: a slow lookup we did not write, taken over so
//! that we can answer it ourselves, fail it, or cancel it, and what happens
//! when the lookup answers first. Four scenes, each on a fresh reactor
//! with a virtual clock, so the times are exact and nothing waits.
//!
//! ```text
//! cargo run -p part-19 --example controllable-deferred
//! ```

use std::process::ExitCode;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure};
use part_19::controllable::{Control, take_control};
use part_19::pretend::{Log, slow};

// ANCHOR: scene
/// A lookup that answers after `lookup_secs`, taken over; at 2 s,
/// `meddle` gets the control.
fn scene(
    reactor: &Reactor,
    lookup_secs: u64,
    meddle: impl FnOnce(&Log, &Control<String>) + 'static,
) -> Deferred<()> {
    let log = Log::printing(reactor);
    let lookup = slow(
        &log,
        "lookup",
        Duration::from_secs(lookup_secs),
        Ok("the fresh copy".to_string()),
    );
    let (ours, control) = take_control(lookup);
    let (said, told) = (log.clone(), log.clone());
    let _ = reactor.call_later(Duration::from_secs(2), move || meddle(&log, &control));
    ours.add_callbacks(
        move |poem: String| said.say(format!("ours fires with {poem:?}")),
        move |failure: Failure| told.say(format!("ours fails: {}", failure.message())),
    )
}
// ANCHOR_END: scene

fn run_scene(
    title: &str,
    lookup_secs: u64,
    meddle: impl FnOnce(&Log, &Control<String>) + 'static,
) -> Result<(), String> {
    println!("{title}");
    let reactor =
        Reactor::with(BackendKind::Mio, VirtualClock::new()).map_err(|e| e.to_string())?;
    let _ = scene(&reactor, lookup_secs, meddle);
    reactor.run().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let scenes = [
        // ANCHOR: answer
        run_scene("We answer first:", 5, |log, control| {
            log.say("we answer with the cached copy");
            let _ = control.callback("the cached copy".to_string());
        }),
        // ANCHOR_END: answer
        run_scene("\nThe lookup answers first:", 1, |log, control| {
            log.say("we try to answer with the cached copy");
            if control.callback("the cached copy".to_string()).is_err() {
                log.say("too late: ours has fired already");
            }
        }),
        run_scene("\nWe fail it:", 5, |log, control| {
            log.say("we give up waiting");
            let _ = control.errback(Failure::msg("the user gave up"));
        }),
        run_scene("\nWe cancel it:", 5, |log, control| {
            log.say("we cancel");
            control.cancel();
        }),
    ];
    match scenes.into_iter().collect::<Result<Vec<()>, String>>() {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
