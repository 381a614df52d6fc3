//! The first success wins: a poem asked of a cache and two replicas at
//! once. Three scenes, each on a fresh reactor with a virtual clock: a
//! winner (the others are stopped), no winner (every failure, in the
//! order the ways were given), and a caller who cancels the lot.
//!
//! ```text
//! cargo run -p part-19 --example first-success
//! ```

use std::process::ExitCode;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure};
use part_19::first_success::first_success;
use part_19::pretend::{Log, slow};

/// How one way ends: after how many tenths of a second, and whether it
/// finds the poem.
type Way = (&'static str, u64, bool);

/// Starts every way at once and reports what the first success gives.
fn ask(log: &Log, ways: &[Way]) -> Deferred<()> {
    // ANCHOR: ask
    let attempts: Vec<Deferred<String>> = ways
        .iter()
        .map(|&(name, tenths, finds)| {
            let outcome = if finds {
                Ok(format!("the poem, from {name}"))
            } else {
                Err(Failure::msg(format!("{name} has no poem")))
            };
            slow(log, name, Duration::from_millis(tenths * 100), outcome)
        })
        .collect();
    let (said, told) = (log.clone(), log.clone());
    first_success(attempts).add_callbacks(
        move |poem: String| said.say(format!("first success: {poem}")),
        move |failure: Failure| told.say(format!("no success: {}", failure.message())),
    )
    // ANCHOR_END: ask
}

fn scene(title: &str, ways: &'static [Way], cancel_at: Option<u64>) -> Result<(), String> {
    println!("{title}");
    let reactor =
        Reactor::with(BackendKind::Mio, VirtualClock::new()).map_err(|e| e.to_string())?;
    let log = Log::printing(&reactor);
    let asked = ask(&log, ways);
    if let Some(tenths) = cancel_at {
        let handle = asked.cancel_handle();
        let _ = reactor.call_later(Duration::from_millis(tenths * 100), move || {
            log.say("the caller cancels");
            handle.cancel();
        });
    }
    reactor.run().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let scenes = [
        scene(
            "One way succeeds:",
            &[
                ("cache", 5, false),
                ("replica A", 30, true),
                ("replica B", 15, true),
            ],
            None,
        ),
        scene(
            "\nEvery way fails:",
            &[
                ("cache", 5, false),
                ("replica A", 30, false),
                ("replica B", 15, false),
            ],
            None,
        ),
        scene(
            "\nThe caller cancels:",
            &[
                ("cache", 5, false),
                ("replica A", 30, true),
                ("replica B", 15, true),
            ],
            Some(10),
        ),
    ];
    match scenes.into_iter().collect::<Result<Vec<()>, String>>() {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
