//! Retrying with backoff: a poem asked of a server that is often busy.
//! Each attempt takes 0.2 s; a busy answer is retried after the next
//! delay, a "no such poem" is not. Five scenes, each on a fresh reactor
//! with a virtual clock, so the times are exact and nothing waits.
//!
//! ```text
//! cargo run -p part-19 --example retry-backoff
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure};
use part_17::Runtime;
use part_19::pretend::{Log, slow};
use part_19::retry::{Backoff, Retrying};

/// What the pretend server says when it has no poem for us.
#[derive(Clone, Debug, thiserror::Error)]
enum Refusal {
    #[error("busy")]
    Busy,
    #[error("no such poem")]
    NoSuchPoem,
}

/// One scene: the server's answers, in order (`None` is a poem), and when
/// the caller cancels, if it does.
fn scene(
    title: &str,
    answers: &'static [Option<Refusal>],
    cancel_at: Option<u64>,
) -> Result<(), String> {
    println!("{title}");
    let reactor =
        Reactor::with(BackendKind::Mio, VirtualClock::new()).map_err(|e| e.to_string())?;
    let runtime = Runtime::new(&reactor);
    let log = Log::printing(&reactor);
    let poem = ask(&runtime, &log, answers);
    if let Some(tenths) = cancel_at {
        let (handle, log) = (poem.cancel_handle(), log.clone());
        let _ = reactor.call_later(Duration::from_millis(tenths * 100), move || {
            log.say("the caller cancels");
            handle.cancel();
        });
    }
    let (said, told) = (log.clone(), log);
    let poem = poem.add_callbacks(
        move |poem: String| said.say(format!("got {poem:?}")),
        move |failure: Failure| told.say(format!("no poem: {}", failure.message())),
    );
    reactor
        .run_until(poem)
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

// ANCHOR: ask
/// Asks for the poem until the server gives it, with delays of 0.5 s,
/// 1 s, 2 s (each shortened by up to a fifth), no more than 3 retries,
/// and only after a "busy".
fn ask(runtime: &Runtime, log: &Log, answers: &'static [Option<Refusal>]) -> Deferred<String> {
    let delays = Backoff::exponential(Duration::from_millis(500))
        .max(Duration::from_secs(2))
        .retries(3)
        .jitter(0.2, 19);
    let tried = Rc::new(Cell::new(0));
    let log = log.clone();
    Retrying::new(delays)
        .retry_if(|failure: &Failure| matches!(failure.downcast_ref(), Some(Refusal::Busy)))
        .call(runtime, move || {
            let n = tried.get();
            tried.set(n + 1);
            let outcome = match answers.get(n).cloned().flatten() {
                None => Ok("Tyger Tyger, burning bright".to_string()),
                Some(refusal) => Err(Failure::new(refusal)),
            };
            let name = format!("attempt {}", n + 1);
            log.say(format!("{name}: asks"));
            slow(&log, &name, Duration::from_millis(200), outcome)
        })
}
// ANCHOR_END: ask

const BUSY: Option<Refusal> = Some(Refusal::Busy);

fn main() -> ExitCode {
    let scenes = [
        scene("Busy twice, then a poem:", &[BUSY, BUSY, None], None),
        scene(
            "\nA refusal not worth retrying:",
            &[BUSY, Some(Refusal::NoSuchPoem)],
            None,
        ),
        scene("\nBusy every time:", &[BUSY, BUSY, BUSY, BUSY, BUSY], None),
        scene(
            "\nCancelled during an attempt:",
            &[BUSY, BUSY, None],
            Some(7),
        ),
        scene("\nCancelled during a delay:", &[BUSY, BUSY, None], Some(12)),
    ];
    match scenes.into_iter().collect::<Result<Vec<()>, String>>() {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
