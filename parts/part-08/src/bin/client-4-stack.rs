//! `client-4-stack`: client 4.0, seen from inside its callback. Downloads
//! from the servers, and when the first poem is complete, prints the stack
//! of calls that led to the callback on its deferred (the reactor at the
//! bottom, then the transport, the protocol, the factory and the deferred),
//! and stops.
//!
//! ```text
//! cargo run -p part-08 --bin client-4-stack -- 10000
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::{ClientArgs, cli, report};
use part_03::Reactor;
use part_06::{Countdown, Printer, Task};
use part_07::Failure;
use part_08::get_poetry;
use part_08::stack::{layers, print_layers};

/// Prints the call stack from inside the callback on a poem's deferred,
/// once, then stops.
#[derive(Debug, Parser)]
#[command(name = "client-4-stack", version)]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // No chunk lines: only the stack.
    let tasks = match Task::all(&args.client, &Printer::new(|_, _| {})) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };

    let shown = Rc::new(Cell::new(false));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in &tasks {
        let (number, seen, stopper) = (task.number, Rc::clone(&shown), reactor.clone());
        let got_poem = move |poem: Vec<u8>| show_stack(number, &poem, &seen, &stopper);
        let address = task.address.clone();
        let poem_failed = move |failure: Failure| {
            eprintln!("{}", report::failed(number, &address, failure.error()));
        };
        let done = countdown.clone();
        let poem_done = move |_: Result<(), Failure>| done.one_done();
        let _ = get_poetry(&reactor, task)
            .add_callbacks(got_poem, poem_failed)
            .add_both(poem_done);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    if !shown.get() {
        return cli::fail("no poem arrived, so there was no stack to show");
    }
    ExitCode::SUCCESS
}

// ANCHOR: show_stack
/// What got_poem does: print the stack it was called on, the first time
/// only (the first poem is enough), then stop the reactor.
fn show_stack(task: usize, poem: &[u8], shown: &Cell<bool>, reactor: &Reactor) {
    if shown.replace(true) {
        return;
    }
    println!(
        "Inside got_poem, with task {task}'s poem, {} bytes.",
        poem.len()
    );
    println!("The stack, outermost call first:");
    print_layers(&layers());
    let _ = reactor.stop();
}
// ANCHOR_END: show_stack
