//! `defer-cancel-9`: a poem that arrives five seconds later, through the
//! reactor's `call_later`, and nobody cancels anything.
//!
//! With `--virtual-clock` the reactor runs on a virtual clock: the same
//! events in the same order, without the wait.
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-9
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_03::{BackendKind, Clock, Reactor, VirtualClock};
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

/// Returns a poem five seconds later.
fn get_poem(reactor: &Reactor) -> Deferred<&'static str> {
    let (d, trigger) = part_07::deferred();
    let _ = reactor.call_later(Duration::from_secs(5), move || send_poem(&trigger));
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
    drop(d);
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
