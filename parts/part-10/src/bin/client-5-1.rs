//! `client-5-1`: client 5.1. Client 5.0 with its transform split in two:
//! a callback whose bug fails with a `CannotCummingsify` error carrying
//! the original poem, and an errback that recovers from that failure alone
//! and passes every other one on.
//!
//! ```text
//! cargo run -p part-10 --bin client-5-1 -- --seed 7 10000 10001 10002
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{cli, report};
use part_03::Reactor;
use part_06::{Countdown, Printer, Task, print_summary};
use part_07::Failure;
use part_08::get_poetry;
use part_10::client_5_1::{cummingsify, cummingsify_failed};
use part_10::{Client5Args, task_dice};

/// Client 5.1: client 5.0, with the recovery from cummingsify's bug in an
/// errback of its own.
#[derive(Debug, Parser)]
#[command(name = "client-5-1", version)]
struct Args {
    #[command(flatten)]
    client: Client5Args,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client.client, &Printer::stdio()) {
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
    let dice = task_dice(args.client.seed(), tasks.len());
    for (task, dice) in tasks.iter().zip(dice) {
        let (number, poems, print) = (task.number, Rc::clone(&poems), args.client.print);
        let got_poem = move |poem: Vec<u8>| {
            println!("{}", report::finished(number));
            if print {
                println!("{}", String::from_utf8_lossy(&poem).trim_end());
            }
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
        // ANCHOR: chain
        let _ = deferred
            .add_callback(cummingsify(dice))
            .add_errback(cummingsify_failed(task))
            .add_callbacks(got_poem, poem_failed)
            .add_both(poem_done);
        // ANCHOR_END: chain
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
