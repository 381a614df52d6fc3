//! Exercise 2 of part 10: a lenient client. Keep the original poem after a
//! bug in cummingsify as well as after gibberish (saying so), without the
//! bug's error carrying the poem. In client 5.0's arrangement the errback
//! is made when the poem is already there, so it can simply hold a copy.
//!
//! ```text
//! cargo run -p part-10 --example part10-ex2-lenient -- --seed 7 10000 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::{Deferred, Failure, succeed};
use part_08::get_poetry;
use part_10::{Client5Args, CummingsifyBug, GibberishError, Run, Steps};

/// Client 5.0 that keeps the original poem whenever cummingsify fails.
#[derive(Debug, Parser)]
#[command(name = "part10-ex2-lenient")]
struct Args {
    #[command(flatten)]
    client: Client5Args,
}

// ANCHOR: lenient
/// Client 5.0's `try_to_cummingsify`, lenient: the errback captures a copy
/// of the original poem, and goes on with it after gibberish or a bug. A
/// poem that is not text still fails: there is no text to keep.
pub fn try_leniently(steps: &Steps) -> impl FnOnce(Vec<u8>) -> Deferred<String> + 'static {
    let (cummingsify, task) = (steps.cummingsify(), steps.task().clone());
    move |poem: Vec<u8>| {
        let original = String::from_utf8(poem.clone()).ok();
        succeed(poem)
            .add_callback(cummingsify)
            .add_errback(move |failure: Failure| {
                let transform_failed =
                    failure.check::<GibberishError>() || failure.check::<CummingsifyBug>();
                match original {
                    Some(original) if transform_failed => {
                        let why = failure.message();
                        let line = format!("Task {}: {why}, kept the original", task.number);
                        task.printer.out(&line);
                        Ok(original)
                    }
                    _ => Err(failure),
                }
            })
    }
}
// ANCHOR_END: lenient

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
        let _ = get_poetry(&reactor, task)
            .add_callback(try_leniently(steps))
            .add_callbacks(steps.got_poem(), steps.poem_failed())
            .add_both(steps.poem_done());
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    run.finish()
}
