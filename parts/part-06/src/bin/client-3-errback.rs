//! `client-3-errback`: client 3.1. Downloads a poem from every server at
//! once, on our reactor, with `get_poetry(&reactor, &task, callback,
//! errback)`: the program says what to do with each poem, and what to do
//! if there is none.
//!
//! ```text
//! cargo run -p part-06 --bin client-3-errback -- 10000 10001 10002
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, FetchError, cli, report};
use part_03::Reactor;
use part_06::errback::get_poetry;
use part_06::{Countdown, Printer, Task, print_summary};

/// Client 3.1: downloads poetry from all the servers at once with
/// get_poetry, a callback and an errback on our reactor, printing each
/// chunk as it arrives.
#[derive(Debug, Parser)]
#[command(name = "client-3-errback", version)]
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
        let done = countdown.clone();
        let got_poem = move |poem: Vec<u8>| {
            println!("{}", report::finished(number));
            poems.borrow_mut()[number - 1] = Some(poem);
            done.one_done();
        };
        let (address, done) = (task.address.clone(), countdown.clone());
        let poem_failed = move |error: FetchError| {
            eprintln!("{}", report::failed(number, &address, error));
            done.one_done();
        };
        get_poetry(&reactor, task, got_poem, poem_failed);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
