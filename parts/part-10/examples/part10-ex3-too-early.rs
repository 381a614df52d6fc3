//! Exercise 3 of part 10: an errback too early. Client 5.1 with
//! `keep_the_original` moved *above* `cummingsify`. Run it with a seed that
//! garbles a poem, and with a port where nobody listens, and explain what
//! you see.
//!
//! ```text
//! cargo run -p part-10 --example part10-ex3-too-early -- --seed 7 10000 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::{Deferred, Failure};
use part_08::get_poetry;
use part_10::route::{Arrangement, Link};
use part_10::{Client5Args, GibberishError, Run, Steps, lines};

/// Client 5.1 with its errback above the transform instead of below it.
#[derive(Debug, Parser)]
#[command(name = "part10-ex3-too-early")]
struct Args {
    /// After the summary, draw each poem's chain.
    #[arg(long)]
    chains: bool,
    #[command(flatten)]
    client: Client5Args,
}

// ANCHOR: too_early
/// The chain of exercise 3: the errback first, then the transform. Up
/// there the chain carries bytes, so the errback must give back bytes.
pub fn too_early(download: Deferred<Vec<u8>>, steps: &Steps) -> Deferred<()> {
    let task = steps.task().clone();
    let keep_the_original = steps
        .route()
        .step("keep_the_original", move |failure: Failure| {
            let gibberish = failure.trap::<GibberishError>()?;
            task.printer.out(&lines::kept_the_original(task.number));
            Ok(gibberish.into_original().into_bytes())
        });
    download
        .add_errback(keep_the_original)
        .add_callback(steps.cummingsify())
        .add_callbacks(steps.got_poem(), steps.poem_failed())
        .add_both(steps.poem_done())
}

/// Its shape, for the drawings.
pub const TOO_EARLY: Arrangement = &[
    Link::errback(0, "keep_the_original"),
    Link::callback(0, "cummingsify"),
    Link::pair(0, "got_poem", "poem_failed"),
    Link::both(0, "poem_done"),
];
// ANCHOR_END: too_early

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
        let _ = too_early(get_poetry(&reactor, task), steps);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    if args.chains {
        for line in run.chains(TOO_EARLY) {
            println!("{line}");
        }
    }
    run.finish()
}
