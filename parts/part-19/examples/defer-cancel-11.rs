//! `defer-cancel-11`: the same again, with a canceller that cancels the timed
//! call: after the cancel, the poem is never sent.
//!
//! With `--virtual-clock` the reactor runs on a virtual clock: the same
//! events in the same order, without the wait.
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-11
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::{BackendKind, Clock, DelayedCall, Reactor, VirtualClock};
use part_07::{Deferred, Failure, Trigger};

/// Gets a poem five seconds later, on the reactor.
#[derive(Debug, Parser)]
struct Args {
    /// Run the reactor on a virtual clock, which jumps to each timed call.
    #[arg(long)]
    virtual_clock: bool,
}

// ANCHOR: example
fn send_poem(trigger: &Trigger<&'static str>) {
    println!("Sending poem");
    let _ = trigger.callback("Once upon a midnight dreary");
}

/// Returns a poem five seconds later; cancelling the deferred cancels the
/// timed call, so the poem is never sent.
fn get_poem(reactor: &Reactor) -> Deferred<&'static str> {
    // The timed call is made after the deferred, so the canceller finds
    // it in a cell.
    let timed_call: Rc<Cell<Option<DelayedCall>>> = Rc::default();
    let (d, trigger) = Deferred::with_canceller({
        let timed_call = Rc::clone(&timed_call);
        move |_trigger: &Trigger<&'static str>| {
            // Nobody wants the poem any more: stop the timed call. Doing
            // nothing else lets the deferred fail with CancelledError; the
            // canceller could also fire it with a failure or a result.
            if let Some(call) = timed_call.take() {
                let _ = call.cancel();
            }
        }
    });
    let call = reactor.call_later(Duration::from_secs(5), move || send_poem(&trigger));
    timed_call.set(Some(call));
    d
}

fn got_poem(poem: &str) {
    println!("I got a poem: {poem}");
}

fn poem_error(failure: Failure) {
    println!("get_poem failed: {failure}");
}

fn run(reactor: &Reactor) -> Result<(), part_03::ReactorError> {
    let stopper = reactor.clone();
    let _ = reactor.call_later(Duration::from_secs(10), move || stopper.stop());
    let d = get_poem(reactor).add_callbacks(got_poem, poem_error);
    let _ = reactor.call_later(Duration::from_secs(2), move || d.cancel());
    reactor.run()
}
// ANCHOR_END: example

fn main() -> ExitCode {
    let args = Args::parse();
    let clock = if args.virtual_clock {
        Clock::from(VirtualClock::new())
    } else {
        Clock::real()
    };
    let result = Reactor::with(BackendKind::Mio, clock)
        .map_err(|e| e.to_string())
        .and_then(|reactor| run(&reactor).map_err(|e| e.to_string()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
