//! `client-4`: client 4.0. Downloads a poem from every server at once, on
//! our reactor, with `get_poetry(&reactor, &task)`, which returns a
//! deferred: the program adds what to do with the poem, and what to do if
//! there is none, to the deferred it gets back.
//!
//! ```text
//! cargo run -p part-08 --bin client-4 -- 10000 10001 10002
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli, report};
use part_03::Reactor;
use part_06::{Countdown, Printer, Task, print_summary};
use part_07::Failure;
use part_08::get_poetry;

/// Client 4.0: downloads poetry from all the servers at once with
/// get_poetry, which returns a deferred, on our reactor, printing each
/// chunk as it arrives.
#[derive(Debug, Parser)]
#[command(name = "client-4", version)]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client, &Printer::stdio()) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };

    // ANCHOR: main
    let start = Instant::now();
    // What the callbacks share: a place for each poem, and the number of
    // tasks still running (the last one stops the reactor).
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in &tasks {
        let (number, poems) = (task.number, Rc::clone(&poems));
        let got_poem = move |poem: Vec<u8>| {
            println!("{}", report::finished(number));
            poems.borrow_mut()[number - 1] = Some(poem);
        };
        let address = task.address.clone();
        let poem_failed = move |failure: Failure| {
            eprintln!("{}", report::failed(number, &address, failure.error()));
        };
        // Called after either of them: one task fewer to wait for.
        let done = countdown.clone();
        let poem_done = move |_: Result<(), Failure>| done.one_done();
        let deferred = get_poetry(&reactor, task);
        let _ = deferred
            .add_callbacks(got_poem, poem_failed)
            .add_both(poem_done);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
