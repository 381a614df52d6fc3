//! The guided demo of part 7: `cargo run -p part-07`.
//!
//! Goes through the Deferred in five short scenes, all on one thread:
//! a deferred fired with a result, one fired with a failure, one fired
//! twice; a chain of callbacks and errbacks where a failure skips the
//! callbacks until an errback recovers; and a deferred fired from a timed
//! call of part 3's reactor. Then what to notice. It takes a fraction of
//! a second.

use std::cell::RefCell;
use std::num::ParseIntError;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::Reactor;
use part_07::{Failure, deferred};

/// Part 7 — An interlude, Deferred: a result that is not there yet, as a
/// value, with callbacks and errbacks, fired once.
#[derive(Debug, Parser)]
#[command(name = "part-07", version)]
struct Args {
    /// Milliseconds until the reactor's timed call fires the deferred in
    /// the last scene.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    delay_ms: u64,
}

/// The poem the scenes pass around.
const POEM: &str = "Tyger Tyger, burning bright,";

/// A list of what happened, shared by the callbacks that write to it and
/// the scene that prints it.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<(usize, String)>>>);

impl Log {
    fn note(&self, step: usize, what: impl Into<String>) {
        self.0.borrow_mut().push((step, what.into()));
    }

    fn get(&self, step: usize) -> Option<String> {
        self.0
            .borrow()
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, what)| what.clone())
    }
}

/// Scenes 1 and 2: one callback/errback pair, fired with a result, then
/// (on a second deferred) with a failure.
fn fired_once() {
    println!("1. A deferred fired with a result");
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(
        |poem: String| println!("     callback: got {poem:?}"),
        |failure: Failure| println!("     errback: got {failure}"),
    );
    println!("   a callback and an errback are added: nothing runs yet");
    println!("   main: firing it with a poem ...");
    let fired = trigger.callback(POEM.to_string());
    println!("   main: ... callback() returned {fired:?}, after the callback ran");
    println!();

    println!("2. A deferred fired with a failure");
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(
        |poem: String| println!("     callback: got {poem:?}"),
        |failure: Failure| println!("     errback: got {failure}"),
    );
    println!("   main: firing it with a failure ...");
    let fired = trigger.errback(Failure::msg("the poetry server hung up"));
    println!("   main: ... errback() returned {fired:?}, after the errback ran");
    println!();
}

/// Scene 3: firing a deferred a second time, either way, is refused.
fn fired_twice() {
    println!("3. A deferred fired twice");
    let calls = Rc::new(RefCell::new(0));
    let counter = Rc::clone(&calls);
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(
        move |_poem: String| *counter.borrow_mut() += 1,
        |failure: Failure| println!("     errback: got {failure} (a bug!)"),
    );
    let first = trigger.callback(POEM.to_string());
    println!("   callback(poem)   -> {first:?}");
    match trigger.callback(POEM.to_string()) {
        Ok(()) => println!("   callback(poem)   -> Ok(()) (a bug!)"),
        Err(error) => println!("   callback(poem)   -> Err({error:?}): {error}"),
    }
    match trigger.errback(Failure::msg("too late")) {
        Ok(()) => println!("   errback(failure) -> Ok(()) (a bug!)"),
        Err(error) => println!("   errback(failure) -> Err({error:?}): {error}"),
    }
    let times = match *calls.borrow() {
        1 => "once".to_string(),
        n => format!("{n} times (a bug!)"),
    };
    println!("   the callback ran {times}; the first result stands");
    println!();
}

/// What each step of scene 4's chain is.
const STEPS: [(&str, &str); 5] = [
    ("callback", "parse the poem's size"),
    ("callback", "check it is not empty"),
    ("errback ", "not a number? then 0"),
    ("callback", "describe the size"),
    ("errback ", "report the failure"),
];

// ANCHOR: chain
/// Scene 4's chain: five steps, each noting in `log` that it ran and how.
fn size_chain(log: &Log) -> (part_07::Trigger<&'static str>, part_07::Deferred<()>) {
    let (d, trigger) = deferred::<&'static str>();
    let (l1, l2, l3, l4, l5) = (
        log.clone(),
        log.clone(),
        log.clone(),
        log.clone(),
        log.clone(),
    );
    let end = d
        .add_callback(move |text: &str| {
            let parsed = text.parse::<u64>();
            l1.note(1, format!("{parsed:?}"));
            Ok(parsed?) // a ParseIntError becomes a Failure here
        })
        .add_callback(move |size: u64| {
            if size == 0 {
                l2.note(2, "it is 0: fails");
                return Err(Failure::msg("an empty poem"));
            }
            l2.note(2, format!("{size} is not 0"));
            Ok(size)
        })
        .add_errback(move |failure: Failure| {
            let name = failure.short_type_name();
            if !failure.check::<ParseIntError>() {
                l3.note(3, format!("got {name}: not ours, passes it on"));
                return Err(failure); // still a failure: on to the next errback
            }
            l3.note(3, format!("got {name}, returns Ok(0)"));
            Ok(0) // recovered: the chain carries a result again
        })
        .add_callback(move |size: u64| {
            l4.note(4, format!("\"{size} bytes\""));
            Ok(format!("{size} bytes"))
        })
        .add_callbacks(
            |_description: String| (),
            move |failure: Failure| l5.note(5, format!("{failure}")),
        );
    (trigger, end)
}
// ANCHOR_END: chain

/// Scene 4: the chain fired with a good input, then a bad one.
fn chain() {
    println!("4. A chain of five steps: a failure skips callbacks until an errback recovers");
    println!("   (step 1 fails on a bad number, step 2 on 0; step 3 handles bad numbers only)");
    for input in ["2726", "27x6", "0"] {
        println!("   fired with {input:?}:");
        let log = Log::default();
        let (trigger, _end) = size_chain(&log);
        if let Err(error) = trigger.callback(input) {
            println!("   error: {error}");
        }
        for (step, (side, what)) in STEPS.iter().enumerate() {
            let step = step + 1;
            let outcome = match log.get(step) {
                Some(outcome) => format!("ran: {outcome}"),
                None => "skipped".to_string(),
            };
            println!("     {step}. {side}  {what:<26} {outcome}");
        }
    }
    println!();
}

/// Prints a line stamped with the reactor's clock.
fn say(reactor: &Reactor, what: impl std::fmt::Display) {
    println!("   {:>5.2}s  {what}", reactor.now().as_secs_f64());
}

/// Scene 5: the reactor fires a deferred from a timed call.
fn with_the_reactor(delay: Duration) -> Result<(), String> {
    println!("5. A deferred fired by the reactor");
    let reactor = Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))?;
    // ANCHOR: reactor
    let (d, trigger) = deferred::<String>();
    let handle = reactor.clone();
    let _end = d.add_callback(move |poem: String| -> Result<(), Failure> {
        say(
            &handle,
            format_args!("  callback: got {poem:?}; stopping the reactor"),
        );
        handle.stop()?;
        Ok(())
    });
    let handle = reactor.clone();
    reactor.call_later(delay, move || {
        say(&handle, "timed call: firing the deferred");
        let fired = trigger.callback(POEM.to_string());
        say(&handle, "timed call: callback() has returned");
        fired
    });
    // ANCHOR_END: reactor
    say(
        &reactor,
        format_args!(
            "main: a timed call will fire the deferred in {:.2}s; running the reactor",
            delay.as_secs_f64()
        ),
    );
    reactor.run().map_err(|e| e.to_string())?;
    say(&reactor, "main: run() has returned");
    println!();
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    println!("Part 7 — An interlude, Deferred");
    println!();
    fired_once();
    fired_twice();
    chain();
    if let Err(error) = with_the_reactor(Duration::from_millis(args.delay_ms)) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!("What to notice:");
    println!("- Firing a deferred runs its callbacks at once, inside callback() or errback(),");
    println!("  on the stack of whoever fired it: main in scenes 1 to 4, a timed call in 5.");
    println!("- Of a callback/errback pair exactly one runs: the callback for a result, the");
    println!("  errback for a failure.");
    println!("- A deferred fires once. A second firing, either way, is refused with");
    println!("  AlreadyCalled, and the first result stands.");
    println!("- A failure goes down the errback side, skipping callbacks, until an errback");
    println!("  returns Ok: then the chain goes on with a result, and later errbacks are");
    println!("  skipped instead.");
    println!("- A failure says what went wrong, of which type, and where it was raised.");
    println!("- The deferred knows nothing of the reactor: the reactor only called a timed");
    println!("  call, and the timed call fired the deferred.");
    ExitCode::SUCCESS
}
