//! Part 7, exercise 4: wait inside a chain without blocking.
//!
//! `defer-block` showed a callback that sleeps: it holds up whoever fired
//! the deferred, and, under a reactor, everything else too. The cure is to
//! let the reactor do the waiting. A callback may return a deferred instead
//! of a value (part 13 tells that story in full): the chain then pauses
//! until that deferred fires, and goes on with its result. So a step that
//! must wait half a second returns a deferred that a timed call fires half
//! a second later, and returns at once.
//!
//! The program runs a chain with such a pause in the middle while a
//! heartbeat ticks every 100 ms: the heartbeats keep their time during
//! the pause, as they would not if the callback slept.
//!
//! `cargo run -p part-07 --example part07-ex4-wait`

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Deferred, Failure, deferred};

/// Where a line of output goes: the terminal, or a test's list.
pub type Say = Rc<dyn Fn(String)>;

/// How long the chain pauses.
pub const PAUSE: Duration = Duration::from_millis(500);

/// How often the heartbeat ticks, and how many times.
pub const BEAT: Duration = Duration::from_millis(100);
/// How many heartbeats there are.
pub const BEATS: u32 = 4;

// ANCHOR: solution
/// A callback that passes its input on after `pause`, without blocking:
/// it returns a deferred that a timed call fires later, and the chain
/// waits for that deferred before it goes on.
pub fn wait<T: 'static>(reactor: Reactor, pause: Duration) -> impl FnOnce(T) -> Deferred<T> {
    move |value: T| {
        let (later, trigger) = deferred();
        reactor.call_later(pause, move || trigger.callback(value));
        later
    }
}
// ANCHOR_END: solution

/// Prints `what` through `say`, after the reactor's time in tenths.
fn stamp(reactor: &Reactor, say: &Say, what: &str) {
    say(format!("{:.1} s  {what}", reactor.now().as_secs_f64()));
}

/// A heartbeat: says so, and schedules the next, `BEATS` times in all.
fn heartbeat(reactor: Reactor, say: Say, count: Rc<Cell<u32>>) {
    count.set(count.get() + 1);
    stamp(&reactor, &say, &format!("  heartbeat {}", count.get()));
    if count.get() < BEATS {
        let handle = reactor.clone();
        reactor.call_later(BEAT, move || heartbeat(handle, say, count));
    }
}

/// Sets up the lesson on `reactor`: the heartbeat, and a chain that starts
/// as soon as the reactor runs, pauses for [`PAUSE`], goes on, and stops
/// the reactor.
pub fn lesson(reactor: &Reactor, say: Say) {
    let (handle, beat_say) = (reactor.clone(), Rc::clone(&say));
    reactor.call_later(BEAT, move || heartbeat(handle, beat_say, Rc::default()));

    // ANCHOR: chain
    let (d, trigger) = deferred::<&'static str>();
    let (r1, s1, r2, s2) = (reactor.clone(), Rc::clone(&say), reactor.clone(), say);
    let _end = d
        .add_callback(move |poem: &'static str| {
            stamp(
                &r1,
                &s1,
                "callback 1: got the poem; pausing without blocking",
            );
            Ok(poem)
        })
        .add_callback(wait(reactor.clone(), PAUSE))
        .add_callback(move |poem: &'static str| -> Result<(), Failure> {
            stamp(&r2, &s2, &format!("callback 2: going on with {poem:?}"));
            r2.stop()?;
            Ok(())
        });
    // ANCHOR_END: chain
    reactor.call_when_running(move || trigger.callback("Tyger Tyger, burning bright,"));
}

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    lesson(&reactor, Rc::new(|line| println!("{line}")));
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
