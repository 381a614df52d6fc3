//! `client-3`: client 3.0. Downloads a poem from every server at once, on
//! our reactor, with `get_poetry(&reactor, &task, callback)`: the program
//! says what to do with each poem, and never sees a protocol or a factory.
//!
//! ```text
//! cargo run -p part-06 --bin client-3 -- 10000 10001 10002
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli, report};
use part_03::Reactor;
use part_06::callback::get_poetry;
use part_06::{Countdown, Printer, Task, print_summary};

/// Client 3.0: downloads poetry from all the servers at once with
/// get_poetry and a callback on our reactor, printing each chunk as it
/// arrives.
#[derive(Debug, Parser)]
#[command(name = "client-3", version)]
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
        // Counts this task as over when it is dropped: after the callback
        // has run, or if the callback is thrown away without being called.
        let ticket = countdown.ticket();
        let got_poem = move |poem: Vec<u8>| {
            println!("{}", report::finished(number));
            poems.borrow_mut()[number - 1] = Some(poem);
            drop(ticket);
        };
        get_poetry(&reactor, task, got_poem);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
