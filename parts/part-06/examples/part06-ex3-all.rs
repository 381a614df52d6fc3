//! Part 6, exercise 3: one callback for many poems.
//!
//! `get_all_poetry` starts a download for every task at once and calls its
//! one callback once, when every download is over, with every outcome in
//! the order of the tasks. The program's whole ending then lives in that
//! callback.
//!
//! ```text
//! cargo run -p part-06 --example part06-ex3-all -- 10000 10001 10002
//! ```

use std::cell::{Cell, RefCell};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::{ClientArgs, cli, report};
use part_03::Reactor;
use part_06::{Outcome, Task, errback, start_client};

/// Downloads poetry from all the servers at once and reports when all of
/// them are done.
#[derive(Debug, Parser)]
#[command(name = "part06-ex3-all")]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

// ANCHOR: all
/// Many downloads and the one callback waiting for all of them.
struct All<F> {
    outcomes: RefCell<Vec<Option<Outcome>>>,
    left: Cell<usize>,
    callback: RefCell<Option<F>>,
}

impl<F: FnOnce(Vec<Outcome>)> All<F> {
    /// Download `i` is over: keep its outcome, and call the callback if it
    /// was the last.
    fn settle(&self, i: usize, outcome: Outcome) {
        self.outcomes.borrow_mut()[i] = Some(outcome);
        self.left.set(self.left.get().saturating_sub(1));
        self.finish_if_done();
    }

    fn finish_if_done(&self) {
        if self.left.get() == 0
            && let Some(callback) = self.callback.take()
        {
            callback(self.outcomes.take().into_iter().flatten().collect());
        }
    }
}

/// Fetches a poem for every task, all at once, then calls `callback` once
/// with every outcome, in the order of the tasks. Like the downloads' own
/// callbacks, it is called from the reactor, even when there are no tasks.
pub fn get_all_poetry(
    reactor: &Reactor,
    tasks: &[Task],
    callback: impl FnOnce(Vec<Outcome>) + 'static,
) {
    let all = Rc::new(All {
        outcomes: RefCell::new(tasks.iter().map(|_| None).collect()),
        left: Cell::new(tasks.len()),
        callback: RefCell::new(Some(callback)),
    });
    if tasks.is_empty() {
        reactor.call_later(Duration::ZERO, move || all.finish_if_done());
        return;
    }
    for (i, task) in tasks.iter().enumerate() {
        let (on_poem, on_error) = (Rc::clone(&all), Rc::clone(&all));
        errback::get_poetry(
            reactor,
            task,
            move |poem| on_poem.settle(i, Ok(poem)),
            move |error| on_error.settle(i, Err(error)),
        );
    }
}
// ANCHOR_END: all

fn main() -> ExitCode {
    let args = Args::parse();
    let (tasks, reactor) = match start_client(&args.client) {
        Ok(started) => started,
        Err(error) => return cli::fail(error),
    };
    let start = Instant::now();
    let failed = Rc::new(Cell::new(0));
    let (handle, count, addresses) = (reactor.clone(), Rc::clone(&failed), args.client.addresses);
    get_all_poetry(&reactor, &tasks, move |outcomes| {
        let mut got = 0;
        for ((task, outcome), address) in (1..).zip(&outcomes).zip(&addresses) {
            match outcome {
                Ok(poem) => {
                    println!("{}", report::poem_size(task, poem.len()));
                    got += 1;
                }
                Err(error) => eprintln!("{}", report::failed(task, address, error)),
            }
        }
        println!("{}", report::total(got, start.elapsed()));
        count.set(outcomes.len() - got);
        let _ = handle.stop();
    });
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    cli::client_exit(failed.get(), tasks.len())
}
