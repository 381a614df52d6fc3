//! Part 8, exercise 1: poems as text.
//!
//! `get_poem_text` adds one step to client 4.0's deferred: it turns the
//! poem's bytes into a `String`. Bytes that are not UTF-8 make that step
//! fail, and the failure travels down the errback side like a refused
//! connection would. The program prints each poem's title (its first line).
//!
//! ```text
//! cargo run -p part-08 --example part08-ex1-titles -- 10000 10001
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::{ClientArgs, cli, report};
use part_03::Reactor;
use part_06::{Countdown, Printer, Task};
use part_07::{Deferred, Failure};
use part_08::get_poetry;

/// Prints the title of every poem: the first line of its text.
#[derive(Debug, Parser)]
#[command(name = "part08-ex1-titles")]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

// ANCHOR: text
/// The poem at `task`, as text: client 4.0's deferred with one more step.
pub fn get_poem_text(reactor: &Reactor, task: &Task) -> Deferred<String> {
    get_poetry(reactor, task).add_callback(|poem: Vec<u8>| -> Result<String, Failure> {
        // `?` turns a `FromUtf8Error` into a failure, and the chain moves
        // to the errback side.
        Ok(String::from_utf8(poem)?)
    })
}

/// A poem's title: its first line.
pub fn title(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}
// ANCHOR_END: text

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client, &Printer::new(|_, _| {})) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let countdown = Countdown::new(&reactor, tasks.len());
    let failed = Rc::new(Cell::new(0));
    for task in &tasks {
        let number = task.number;
        let (address, failures) = (task.address.clone(), Rc::clone(&failed));
        let done = countdown.clone();
        let _ = get_poem_text(&reactor, task)
            .add_callbacks(
                move |text: String| println!("Task {number}: {:?}", title(&text)),
                move |failure: Failure| {
                    eprintln!("{}", report::failed(number, &address, failure.error()));
                    failures.set(failures.get() + 1);
                },
            )
            .add_both(move |_: Result<(), Failure>| done.one_done());
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    cli::client_exit(failed.get(), tasks.len())
}
