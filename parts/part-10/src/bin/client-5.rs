//! `client-5`: client 5.0. Downloads a poem from every server at once, as
//! client 4.0 did, and adds one callback to each poem's chain, which
//! cummingsifies the poem: gibberish is passed on as a failure, and after
//! any other error the client falls back on the original poem.
//!
//! ```text
//! cargo run -p part-10 --bin client-5 -- --seed 7 10000 10001 10002
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
use part_10::client_5::try_to_cummingsify;
use part_10::{Client5Args, task_dice};

/// Client 5.0: downloads poetry from all the servers at once with
/// get_poetry, which returns a deferred, on our reactor, and cummingsifies
/// each poem.
#[derive(Debug, Parser)]
#[command(name = "client-5", version)]
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
            .add_callback(try_to_cummingsify(task, dice))
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
