//! Part 7, exercise 2: give up on a deferred after a while.
//!
//! `with_timeout(reactor, d, after)` returns a new deferred that fires with
//! `d`'s result or failure if `d` fires within `after`, and otherwise with
//! a [`TimedOut`] failure. It is a race between two parties that both hold
//! the new deferred's trigger: `d`'s outcome and a timed call. Whoever
//! comes first fires it; the other's firing is refused with
//! `AlreadyCalled`, which here is not a bug but how the race is decided.
//! When `d` wins, the timed call is cancelled.
//!
//! The program races two slow "downloads" (deferreds fired by timed calls,
//! at 100 ms and 500 ms) against a timeout of 300 ms each.
//!
//! `cargo run -p part-07 --example part07-ex2-timeout`

use std::process::ExitCode;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Deferred, Failure, deferred};

// ANCHOR: solution
/// The failure of a deferred that took too long.
#[derive(Debug, thiserror::Error)]
#[error("no result after {0:?}")]
pub struct TimedOut(pub Duration);

/// `d`'s outcome, if it comes within `after`; a [`TimedOut`] failure if not.
pub fn with_timeout<T: 'static>(reactor: &Reactor, d: Deferred<T>, after: Duration) -> Deferred<T> {
    let (out, trigger) = deferred::<T>();
    let on_time = trigger.clone();
    let timer = reactor.call_later(after, move || on_time.errback(TimedOut(after)));
    let _end = d.add_both(move |outcome: Result<T, Failure>| {
        let fired = match outcome {
            Ok(value) => trigger.callback(value),
            Err(failure) => trigger.errback(failure),
        };
        // Err(AlreadyCalled): the timeout won, and this late outcome is
        // dropped here, handled. Ok: we won, so the timed call must not
        // fire (it would be refused).
        if fired.is_ok() {
            let _ = timer.cancel();
        }
    });
    out
}
// ANCHOR_END: solution

/// A deferred fired with `poem` by a timed call, `after` from now.
fn download(reactor: &Reactor, after: Duration, poem: &'static str) -> Deferred<&'static str> {
    let (d, trigger) = deferred();
    reactor.call_later(after, move || trigger.callback(poem));
    d
}

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let timeout = Duration::from_millis(300);
    let downloads = [
        ("fast", 100, "Tyger Tyger, burning bright,"),
        ("slow", 500, "In the forests of the night;"),
    ];
    for (name, ms, poem) in downloads {
        println!("{name}: a poem due in {ms} ms, with a timeout of {timeout:?}");
        let d = download(&reactor, Duration::from_millis(ms), poem);
        let handle = reactor.clone();
        let (late, on_failure) = (handle.clone(), handle.clone());
        // Note when the download itself finishes, before the race.
        let d = d.add_callback(move |poem: &'static str| {
            let at = late.now().as_secs_f64();
            println!("{at:.1} s  {name}: the download has finished");
            Ok(poem)
        });
        let _end = with_timeout(&reactor, d, timeout).add_callbacks(
            move |poem: &str| {
                let at = handle.now().as_secs_f64();
                println!("{at:.1} s  {name}: got {poem:?}");
            },
            move |failure: Failure| {
                let at = on_failure.now().as_secs_f64();
                println!("{at:.1} s  {name}: no poem: {}", failure.message());
            },
        );
    }
    let handle = reactor.clone();
    reactor.call_later(Duration::from_millis(600), move || handle.stop());
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!("done; the slow poem arrived too late and was dropped");
    ExitCode::SUCCESS
}
