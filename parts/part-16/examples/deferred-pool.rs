//! A pool of outstanding deferreds on a virtual clock: downloads of
//! different lengths join the pool, a stop is asked for while they run,
//! and the stop waits until the pool is empty, or until its deadline.
//!
//! ```text
//! cargo run -p part-16 --example deferred-pool
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::cli::fail;
use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure, deferred};
use part_16::DeferredPool;

/// Shows a DeferredPool: work in flight, and a wait for none to be left.
#[derive(Debug, Parser)]
#[command(name = "deferred-pool")]
struct Args {}

/// Prints a line with the reactor's time in front.
fn say(reactor: &Reactor, what: &str) {
    println!("{:>4.1}s  {what}", reactor.now().as_secs_f64());
}

/// A pretend download that the reactor finishes after `secs` seconds.
fn download(reactor: &Reactor, name: &'static str, secs: f64) -> Deferred<&'static str> {
    let (d, trigger) = deferred();
    reactor.call_later(Duration::from_secs_f64(secs), move || {
        let _ = trigger.callback(name);
    });
    d
}

/// Lets `secs` seconds of virtual time pass, half a second at a time, so
/// that every event is printed at the moment it happens.
fn pass(reactor: &Reactor, secs: f64) {
    for _ in 0..(secs * 2.0) as usize {
        let _ = reactor.advance(Duration::from_millis(500));
    }
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let reactor = match Reactor::with(BackendKind::Mio, VirtualClock::new()) {
        Ok(reactor) => reactor,
        Err(error) => return fail(format!("cannot make a reactor: {error}")),
    };
    // ANCHOR: scene
    let pool = DeferredPool::new();
    for (name, secs) in [("tyger", 1.0), ("raven", 3.0), ("panther", 2.0)] {
        let clock = reactor.clone();
        let _ = pool
            .add(download(&reactor, name, secs))
            .add_callback(move |name| say(&clock, &format!("{name} finished")));
    }
    say(&reactor, &format!("{} downloads in the pool", pool.len()));
    pass(&reactor, 1.5);
    say(&reactor, "stop asked for: waiting for the pool to empty");
    let clock = reactor.clone();
    let _ = pool
        .notify_when_empty()
        .add_callback(move |()| say(&clock, "the pool is empty: stopped"));
    pass(&reactor, 3.0);
    // ANCHOR_END: scene
    // ANCHOR: deadline
    let _ = pool.add(download(&reactor, "ozymandias", 60.0));
    say(&reactor, "one long download; stop with a 10 s deadline");
    let clock = reactor.clone();
    let _ = pool.wait_empty(&reactor, Duration::from_secs(10)).add_both(
        move |outcome: Result<(), Failure>| match outcome {
            Ok(()) => say(&clock, "the pool is empty"),
            Err(failure) => say(&clock, &format!("gave up waiting: {}", failure.message())),
        },
    );
    pass(&reactor, 12.0);
    say(
        &reactor,
        &format!("{} download still in the pool", pool.len()),
    );
    // ANCHOR_END: deadline
    ExitCode::SUCCESS
}
