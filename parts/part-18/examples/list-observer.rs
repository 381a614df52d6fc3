//! Observing a deferred list on a virtual clock: downloads that succeed
//! or fail at fixed times, an observer told of each as it happens, a
//! member appended while the others run, and then the four "when"s over
//! the same three downloads.
//!
//! ```text
//! cargo run -p part-18 --example list-observer
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::cli::fail;
use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure, deferred};
use part_18::ListObserver;
use part_18::observer::{when_all_settled, when_first_error, when_first_success, when_n_of};

/// Shows a ListObserver and the "when"s built on it.
#[derive(Debug, Parser)]
#[command(name = "list-observer")]
struct Args {}

/// A pretend download of `name` that ends after `secs` seconds, with the
/// poem, or with a failure if `fails`.
fn download(reactor: &Reactor, name: &'static str, secs: u64, fails: bool) -> Deferred<String> {
    let (d, trigger) = deferred();
    reactor.call_later(Duration::from_secs(secs), move || {
        let _ = if fails {
            trigger.errback(Failure::msg(format!("{name}: connection refused")))
        } else {
            trigger.callback(format!("<{name}>"))
        };
    });
    d
}

/// The three downloads every scene uses: one fails at 1 s, two succeed
/// at 2 s and 3 s.
fn three(reactor: &Reactor) -> Vec<Deferred<String>> {
    vec![
        download(reactor, "tyger", 2, false),
        download(reactor, "raven", 1, true),
        download(reactor, "panther", 3, false),
    ]
}

/// What an outcome looks like in a line.
fn shown(outcome: &Result<String, Failure>) -> String {
    match outcome {
        Ok(poem) => poem.clone(),
        Err(failure) => format!("failed ({})", failure.message()),
    }
}

/// Prints `what` at the reactor's time.
fn say(reactor: &Reactor, what: &str) {
    println!("{:>4.1}s  {what}", reactor.now().as_secs_f64());
}

/// Runs the reactor until nothing is left to do (on a virtual clock, time
/// jumps from one timed call to the next).
fn run(reactor: &Reactor) {
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
    }
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let reactor = match Reactor::with(BackendKind::Mio, VirtualClock::new()) {
        Ok(reactor) => reactor,
        Err(error) => return fail(format!("cannot make a reactor: {error}")),
    };
    // ANCHOR: scene
    println!("An observer, and a member appended when tyger arrives:");
    let group = ListObserver::new();
    let (clock, more, adder) = (reactor.clone(), group.clone(), reactor.clone());
    group.observe(move |index, outcome| {
        say(&clock, &format!("member {index}: {}", shown(outcome)));
        if outcome.as_ref().is_ok_and(|poem| poem == "<tyger>") {
            let sequel = more.append(download(&adder, "tyger-2", 2, false));
            say(&clock, &format!("appended member {sequel}"));
        }
    });
    for member in three(&reactor) {
        group.append(member);
    }
    run(&reactor);
    say(
        &reactor,
        &format!("{} members, {} pending", group.len(), group.pending()),
    );
    // ANCHOR_END: scene
    // ANCHOR: whens
    println!("The four whens over the same three downloads:");
    let start = reactor.now();
    let clock = reactor.clone();
    let at = move || format!("{:.1}s later", (clock.now() - start).as_secs_f64());
    let (a, b, c, d) = (at.clone(), at.clone(), at.clone(), at);
    let _ =
        when_first_success(three(&reactor)).add_both(move |o: Result<(usize, String), Failure>| {
            println!("  first success, {}: {:?}", a(), o.map_err(|f| f.message()));
        });
    let _ = when_first_error(three(&reactor)).add_both(move |o: Result<Vec<String>, Failure>| {
        println!("  first error, {}: {:?}", b(), o.map_err(|f| f.message()));
    });
    let _ =
        when_all_settled(three(&reactor)).add_callback(move |all: Vec<Result<String, Failure>>| {
            let all: Vec<String> = all.iter().map(shown).collect();
            println!("  all settled, {}: {all:?}", c());
        });
    let _ = when_n_of(2, three(&reactor)).add_callback(
        move |two: Vec<(usize, Result<String, Failure>)>| {
            let two: Vec<String> = two
                .iter()
                .map(|(i, o)| format!("{i}: {}", shown(o)))
                .collect();
            println!("  two of three, {}: {two:?}", d());
        },
    );
    run(&reactor);
    // ANCHOR_END: whens
    ExitCode::SUCCESS
}
