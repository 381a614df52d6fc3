//! Part 8, exercise 2: a backup server.
//!
//! `get_poetry_or` downloads from a first server and, only if that fails,
//! from a second one. The errback on the first download does not give up:
//! it returns the second download's deferred, and the chain waits for it
//! (part 13 explains how). The caller sees one deferred either way.
//!
//! ```text
//! cargo run -p part-08 --example part08-ex2-backup -- 10000 10001
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{Address, cli, report};
use part_03::Reactor;
use part_06::{Printer, Task, print_summary};
use part_07::{Deferred, Failure};
use part_08::get_poetry;

/// Downloads a poem from the first server, or from the backup if the first
/// fails.
#[derive(Debug, Parser)]
#[command(name = "part08-ex2-backup")]
struct Args {
    /// The server to try first, as PORT or HOST:PORT.
    first: Address,
    /// The server to try if the first one fails.
    backup: Address,
}

// ANCHOR: backup
/// The poem from `first`, or, if that download fails, from `backup`.
pub fn get_poetry_or(reactor: &Reactor, first: &Task, backup: &Task) -> Deferred<Vec<u8>> {
    let (reactor, first, backup) = (reactor.clone(), first.clone(), backup.clone());
    get_poetry(&reactor, &first.clone()).add_errback(move |failure: Failure| {
        let line = report::failed(first.number, &first.address, failure.error());
        first.printer.err(&line);
        // Not a value but a deferred: the chain waits until it fires.
        get_poetry(&reactor, &backup)
    })
}
// ANCHOR_END: backup

fn main() -> ExitCode {
    let args = Args::parse();
    let addresses = [args.first, args.backup];
    let sockets = match addresses
        .iter()
        .map(|a| {
            a.resolve()
                .map_err(|e| format!("cannot resolve address {a}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let tasks = Task::numbered(&addresses, &sockets, &Printer::stdio());
    let start = Instant::now();
    let poem = Rc::new(RefCell::new(None));
    let (kept, stopper) = (Rc::clone(&poem), reactor.clone());
    let backup = tasks[1].clone();
    let _ = get_poetry_or(&reactor, &tasks[0], &tasks[1])
        .add_callbacks(
            move |got: Vec<u8>| *kept.borrow_mut() = Some(got),
            move |failure: Failure| {
                let line = report::failed(backup.number, &backup.address, failure.error());
                backup.printer.err(&line);
            },
        )
        .add_both(move |_: Result<(), Failure>| {
            let _ = stopper.stop();
        });
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&[poem.take()], start.elapsed())
}
