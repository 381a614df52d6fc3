//! `client-5`: client 5.0. Downloads a poem from every server at once, as
//! client 4.0 did, then cummingsifies each one: lowercases it, or, when
//! cummingsify garbles it, keeps the original; a bug in cummingsify is let
//! through and reported at the end of the chain. The transform and its
//! errback sit on a little chain of their own, so that errback sees only
//! the transform's failures.
//!
//! ```text
//! cargo run -p part-10 --bin client-5 -- --seed 7 10000 10001 10002
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_03::Reactor;
use part_06::{Printer, Task};
use part_08::get_poetry;
use part_10::{CLIENT_5, Client5Args, Run};

/// Client 5.0: downloads poetry from all the servers at once and
/// cummingsifies each poem, keeping the original when the transform turns
/// it into gibberish.
#[derive(Debug, Parser)]
#[command(name = "client-5", version)]
struct Args {
    #[command(flatten)]
    client: Client5Args,
    /// At the end, draw each poem's chain: which callbacks and errbacks
    /// ran, and what each passed on.
    #[arg(long)]
    chains: bool,
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

    let (run, steps) = Run::new(&reactor, &tasks, args.client.seed(), args.client.print);
    for (task, steps) in tasks.iter().zip(&steps) {
        // ANCHOR: chain
        let _ = get_poetry(&reactor, task)
            .add_callback(steps.try_to_cummingsify())
            .add_callbacks(steps.got_poem(), steps.poem_failed())
            .add_both(steps.poem_done());
        // ANCHOR_END: chain
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    if args.chains {
        for line in run.chains(CLIENT_5) {
            println!("{line}");
        }
    }
    run.finish()
}
