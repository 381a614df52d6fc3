//! Client 5.0's whole run, with the transform step left open: for the
//! guided demo and the exercises' programs, which each put something
//! different between the download and `got_poem`. (The programs
//! `client-5` and `client-5-1` spell their runs out, as client 4.0 did.)

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use part_02::{cli, report};
use part_03::{Reactor, ReactorError};
use part_06::{Countdown, Task, print_summary, start_client};
use part_07::{Deferred, Failure};
use part_08::get_poetry;

use crate::cli::Client5Args;
use crate::cummingsify::{Dice, task_dice};

/// Downloads every task's poem at once on `reactor`, puts each through
/// `transform` (given the download's deferred, the task and its dice from
/// `seed`), then keeps it (printing it too, with `print`) or reports its
/// failure, like client 5.0. Runs the reactor until every task is done,
/// and returns the poems kept, by task.
pub fn get_transformed_poems(
    reactor: &Reactor,
    tasks: &[Task],
    seed: u64,
    print: bool,
    transform: impl Fn(Deferred<Vec<u8>>, &Task, Dice) -> Deferred<Vec<u8>>,
) -> Result<Vec<Option<Vec<u8>>>, ReactorError> {
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(reactor, tasks.len());
    for (task, dice) in tasks.iter().zip(task_dice(seed, tasks.len())) {
        let (kept, poems) = (task.clone(), Rc::clone(&poems));
        let got_poem = move |poem: Vec<u8>| {
            kept.printer.out(&report::finished(kept.number));
            if print {
                kept.printer.out(String::from_utf8_lossy(&poem).trim_end());
            }
            poems.borrow_mut()[kept.number - 1] = Some(poem);
        };
        let failed = task.clone();
        let poem_failed = move |failure: Failure| {
            let line = report::failed(failed.number, &failed.address, failure.error());
            failed.printer.err(&line);
        };
        let done = countdown.clone();
        let _ = transform(get_poetry(reactor, task), task, dice)
            .add_callbacks(got_poem, poem_failed)
            .add_both(move |_: Result<(), Failure>| done.one_done());
    }
    reactor.run()?;
    Ok(poems.take())
}

/// A whole program: the tasks `args` name, on a new reactor, with
/// `transform` as the transform step; prints the summary and returns the
/// exit code.
pub fn main(
    args: &Client5Args,
    transform: impl Fn(Deferred<Vec<u8>>, &Task, Dice) -> Deferred<Vec<u8>>,
) -> ExitCode {
    let (tasks, reactor) = match start_client(&args.client) {
        Ok(started) => started,
        Err(error) => return cli::fail(error),
    };
    let start = Instant::now();
    match get_transformed_poems(&reactor, &tasks, args.seed(), args.print, transform) {
        Ok(poems) => print_summary(&poems, start.elapsed()),
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}
