//! Exercise 1 of part 10: a second chance. When cummingsify turns a poem
//! into gibberish, try it once more (the dice may say otherwise this
//! time) before falling back on the original.
//!
//! ```text
//! cargo run -p part-10 --example part10-ex1-second-chance -- --seed 7 10000 10001
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::cli;
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::Failure;
use part_08::get_poetry;
use part_10::{Client5Args, CummingsifyError, Dice, GibberishError, Run, cummingsify, lines};

/// Client 5.1 with a second chance for poems that came out as gibberish.
#[derive(Debug, Parser)]
#[command(name = "part10-ex1-second-chance")]
struct Args {
    #[command(flatten)]
    client: Client5Args,
}

// ANCHOR: second_chance
/// An errback for the transform: after gibberish, throw the task's dice
/// once more. Gibberish again: keep the original. A bug this time: let it
/// through, like any failure that is not gibberish.
pub fn second_chance(
    task: Task,
    dice: Rc<RefCell<Dice>>,
) -> impl FnOnce(Failure) -> Result<String, Failure> {
    move |failure: Failure| {
        let original = failure.trap::<GibberishError>()?.into_original();
        match cummingsify(original, &mut dice.borrow_mut()) {
            Ok(poem) => {
                let line = format!("Task {}: cummingsified at the second try", task.number);
                task.printer.out(&line);
                Ok(poem)
            }
            Err(CummingsifyError::Gibberish(again)) => {
                task.printer.out(&lines::kept_the_original(task.number));
                Ok(again.into_original())
            }
            Err(bug) => Err(bug.into_failure()),
        }
    }
}
// ANCHOR_END: second_chance

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
            .add_callback(steps.cummingsify())
            .add_errback(second_chance(task.clone(), steps.dice()))
            .add_callbacks(steps.got_poem(), steps.poem_failed())
            .add_both(steps.poem_done());
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    run.finish()
}
