//! Part 7, `defer-block`: firing a deferred runs its callbacks right now.
//!
//! A deferred is not a thread, a task or a queue. Firing it calls its
//! callbacks at once, one after another, on the stack of whoever fired it,
//! and `callback` returns only when they have all returned. So a callback
//! that blocks (here, one that writes a poem a word at a time, sleeping in
//! between) blocks the code that fired the deferred, and the reactor that
//! called that code, for just as long. Wrapping blocking code in a
//! deferred does not make it asynchronous.
//!
//! `cargo run -p part-07 --example defer-block`

use std::io::{self, Write};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Failure, deferred};

/// The poem, a piece at a time, each written after a pause (in
/// milliseconds: the series' pauses, twenty times shorter).
const POEM: [(&str, u64); 16] = [
    ("\n", 0),
    ("I", 30),
    (" block", 20),
    ("\n  and", 50),
    (" the", 20),
    (" deferred", 30),
    ("\n  blocks", 75),
    (" with", 10),
    (" me", 10),
    ("\nas does", 50),
    ("\n the reactor", 30),
    ("\nkeep that", 50),
    ("\n factor", 30),
    ("\nin", 50),
    (" mind", 20),
    ("\n\n", 100),
];

// ANCHOR: main
fn start_chain(_: bool) {
    println!("The start of the callback chain.");
}

/// Writes the poem slowly, sleeping between the pieces: it blocks.
fn blocking_poem(_: ()) {
    let mut out = io::stdout();
    for (piece, pause) in POEM {
        thread::sleep(Duration::from_millis(pause));
        let _ = out.write_all(piece.as_bytes()).and_then(|()| out.flush());
    }
}

fn end_chain(reactor: &Reactor) -> Result<(), Failure> {
    println!("The end of the callback chain.");
    reactor.stop()?;
    Ok(())
}

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (d, trigger) = deferred::<bool>();
    let handle = reactor.clone();
    let _end = d
        .add_callback(start_chain)
        .add_callback(blocking_poem)
        .add_callback(move |()| end_chain(&handle));
    reactor.call_when_running(move || {
        println!("Firing deferred.");
        let fired = trigger.callback(true);
        println!("Firing finished.");
        fired
    });
    println!("Starting reactor.");
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!("Done.");
    ExitCode::SUCCESS
}
// ANCHOR_END: main
