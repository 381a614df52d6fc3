//! `client-5-1`: client 5.1, the series' second arrangement of client
//! 5.0's steps. The transform is a callback, and the errback that keeps
//! the original is the next step of the same chain, on its own. So that
//! errback sees every failure above it: the transform's, and the
//! download's too, which it lets through untouched.
//!
//! ```text
//! cargo run -p part-10 --bin client-5-1 -- --seed 7 10000 10001 10002
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_03::Reactor;
use part_06::{Printer, Task};
use part_08::get_poetry;
use part_10::{CLIENT_5_1, Client5Args, Run};

/// Client 5.1: downloads poetry from all the servers at once and
/// cummingsifies each poem, keeping the original when the transform turns
/// it into gibberish; the errback that does so is a step of its own.
#[derive(Debug, Parser)]
#[command(name = "client-5-1", version)]
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
            .add_callback(steps.cummingsify())
            .add_errback(steps.keep_the_original())
            .add_callbacks(steps.got_poem(), steps.poem_failed())
            .add_both(steps.poem_done());
        // ANCHOR_END: chain
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    if args.chains {
        for line in run.chains(CLIENT_5_1) {
            println!("{line}");
        }
    }
    run.finish()
}
