//! `deferred-queue`: a queue whose `get` answers at once, with a deferred.
//!
//! Two short scenes on part 3's reactor, with timed calls, printing what
//! happens and when:
//!
//! 1. three readers ask for lines of a poem before the writer has put any.
//!    Each gets a deferred that has not fired; each line the writer puts
//!    goes to the reader who has waited longest, whose callback asks for the
//!    next line from inside `put`. One reader gives up (cancels its get)
//!    and the lines skip it.
//! 2. the writer gets ahead of a queue that holds at most two lines: a third
//!    `put` is refused and the line handed back. Readers who ask now get
//!    deferreds that have fired already, until the queue is empty; then one
//!    may wait, and a second, beyond the backlog, is refused.
//!
//! ```text
//! cargo run -p part-14 --example deferred-queue
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_03::Reactor;
use part_07::{CancelHandle, Failure};
use part_14::structures::DeferredQueue;

/// Shows a deferred queue on the reactor: readers who ask before the writer
/// puts, a reader who gives up, and a queue with limits.
#[derive(Debug, Parser)]
#[command(name = "deferred-queue")]
struct Args {}

/// The lines the writer puts: the first stanza of Blake's poem.
fn lines() -> [&'static str; 4] {
    let mut stanza = include_str!("../../../poetry/tyger.txt").lines().skip(3);
    std::array::from_fn(|_| stanza.next().unwrap_or_default())
}

/// The reactor's time, for the start of a line of output.
fn at(reactor: &Reactor) -> String {
    format!("{:5.2}s", reactor.now().as_secs_f64())
}

// ANCHOR: reader
/// Reader `who` asks the queue for a line. When one comes, it prints it and
/// asks again, from inside the callback (and so from inside the writer's
/// `put`). Returns a handle to give up the wait.
fn read(
    queue: &DeferredQueue<&'static str>,
    reactor: &Reactor,
    who: u32,
    again: bool,
) -> CancelHandle {
    let line = queue.get();
    let state = if line.is_called() {
        "its deferred has fired already"
    } else {
        "its deferred waits"
    };
    if again {
        println!("{}    reader {who} asks again: {state}", at(reactor));
    } else {
        println!("{}  reader {who} asks: {state}", at(reactor));
    }
    let handle = line.cancel_handle();
    let (queue, reactor, failed_reactor) = (queue.clone(), reactor.clone(), reactor.clone());
    let _ = line.add_callbacks(
        move |line: &str| {
            println!("{}    reader {who} got {line:?}", at(&reactor));
            read(&queue, &reactor, who, true);
        },
        move |failure: Failure| {
            let why = failure.message();
            println!(
                "{}    reader {who} stopped waiting: {why}",
                at(&failed_reactor)
            );
        },
    );
    handle
}
// ANCHOR_END: reader

/// The writer puts `line` after `ms` milliseconds.
fn put_later(queue: &DeferredQueue<&'static str>, reactor: &Reactor, ms: u64, line: &'static str) {
    let (queue, later) = (queue.clone(), reactor.clone());
    reactor.call_later(Duration::from_millis(ms), move || {
        println!("{}  the writer puts {line:?}", at(&later));
        queue.put(line)
    });
}

// ANCHOR: scene_1
/// Scene 1: the readers come first.
fn readers_first(reactor: &Reactor) {
    let queue = DeferredQueue::new();
    read(&queue, reactor, 1, false);
    read(&queue, reactor, 2, false);
    let third = read(&queue, reactor, 3, false);
    for (line, ms) in lines().into_iter().zip([100, 200, 300, 400]) {
        put_later(&queue, reactor, ms, line);
    }
    let later = reactor.clone();
    reactor.call_later(Duration::from_millis(150), move || {
        println!("{}  reader 3 gives up", at(&later));
        third.cancel();
    });
    let later = reactor.clone();
    reactor.call_later(Duration::from_millis(450), move || {
        let waiting = queue.readers();
        println!(
            "{}  the writer is done; {waiting} readers still wait",
            at(&later)
        );
    });
}
// ANCHOR_END: scene_1

/// Reader `who` asks for one line, and does not ask again.
fn take_one(queue: &DeferredQueue<&'static str>, reactor: &Reactor, who: u32) {
    let line = queue.get();
    let state = if line.is_called() {
        "its deferred has fired already"
    } else {
        "its deferred waits"
    };
    println!("{}  reader {who} asks: {state}", at(reactor));
    let reactor = reactor.clone();
    let _ = line.add_both(move |line: Result<&str, Failure>| match line {
        Ok(line) => println!("{}    reader {who} got {line:?}", at(&reactor)),
        Err(failure) => {
            let why = failure.message();
            println!("{}    reader {who} is refused: {why}", at(&reactor));
        }
    });
}

// ANCHOR: scene_2
/// Scene 2: the writer comes first, and the queue has limits.
fn writer_first(reactor: &Reactor) {
    let queue = DeferredQueue::with_limits(Some(2), Some(1));
    println!(
        "{}  a queue that holds 2 lines and lets 1 reader wait",
        at(reactor)
    );
    let [first, second, third, fourth] = lines();
    for line in [first, second, third] {
        match queue.put(line) {
            Ok(()) => println!("{}  the writer puts {line:?}", at(reactor)),
            Err(full) => {
                println!("{}  the writer is refused: {full}", at(reactor));
                println!("{}    and keeps {:?} for later", at(reactor), full.item);
                put_later(&queue, reactor, 200, full.item);
            }
        }
    }
    for (who, ms) in [(1, 100), (2, 100), (3, 300), (4, 300), (5, 300)] {
        let (queue, later) = (queue.clone(), reactor.clone());
        reactor.call_later(Duration::from_millis(ms), move || {
            take_one(&queue, &later, who)
        });
    }
    put_later(&queue, reactor, 400, fourth);
}
// ANCHOR_END: scene_2

/// Runs one scene on a new reactor, which stops after `length`.
fn scene(title: &str, length: Duration, setup: fn(&Reactor)) -> Result<(), String> {
    println!("{title}");
    let reactor = Reactor::new().map_err(|error| format!("cannot create a reactor: {error}"))?;
    setup(&reactor);
    let stopper = reactor.clone();
    reactor.call_later(length, move || stopper.stop());
    reactor.run().map_err(|error| error.to_string())?;
    println!();
    Ok(())
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let scenes = [
        (
            "Scene 1: readers ask before the writer puts.",
            Duration::from_millis(500),
            readers_first as fn(&Reactor),
        ),
        (
            "Scene 2: the writer gets ahead, and the queue has limits.",
            Duration::from_millis(500),
            writer_first,
        ),
    ];
    for (title, length, setup) in scenes {
        if let Err(error) = scene(title, length, setup) {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    println!("Every get returned at once, with a deferred: fired already when a line");
    println!("was there (or the backlog was full), fired by a later put when not.");
    ExitCode::SUCCESS
}
