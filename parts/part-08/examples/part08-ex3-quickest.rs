//! Part 8, exercise 3: the quickest mirror.
//!
//! `get_quickest` downloads the same poem from several mirrors at once and
//! fires with the first one to arrive. The moment one poem is in, the
//! other downloads are cancelled: their connections are closed. Only if
//! every mirror fails does it fail, with the last failure. Cancelling the
//! deferred it returns cancels every download.
//!
//! ```text
//! cargo run -p part-08 --example part08-ex3-quickest -- 10000 10001 10002
//! ```

use std::cell::{Cell, RefCell};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli, format_duration};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::{CancelHandle, Deferred, Failure};
use part_08::get_poetry;

/// Downloads the same poem from every mirror at once and keeps the first.
#[derive(Debug, Parser)]
#[command(name = "part08-ex3-quickest")]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

// ANCHOR: quickest
/// The poem from whichever of `mirrors` delivers it first (with the
/// mirror's task number); the other downloads are cancelled.
pub fn get_quickest(reactor: &Reactor, mirrors: &[Task]) -> Deferred<(usize, Vec<u8>)> {
    let downloads: Rc<RefCell<Vec<CancelHandle>>> = Rc::default();
    let to_cancel = Rc::clone(&downloads);
    let (quickest, trigger) = Deferred::with_canceller(move |_| cancel_all(&to_cancel));
    let failures_left = Rc::new(Cell::new(mirrors.len()));
    for mirror in mirrors {
        let download = get_poetry(reactor, mirror);
        downloads.borrow_mut().push(download.cancel_handle());
        let (trigger, others, left) = (
            trigger.clone(),
            Rc::clone(&downloads),
            Rc::clone(&failures_left),
        );
        let number = mirror.number;
        let _ = download.add_both(move |outcome: Result<Vec<u8>, Failure>| {
            if trigger.is_called() {
                return; // a poem is in already (or we were cancelled)
            }
            match outcome {
                Ok(poem) => {
                    let _ = trigger.callback((number, poem));
                    cancel_all(&others); // the winner's own cancel does nothing
                }
                Err(failure) => {
                    left.set(left.get() - 1);
                    if left.get() == 0 {
                        let _ = trigger.errback(failure);
                    }
                }
            }
        });
    }
    quickest
}

/// Cancels every download (one that has fired is not affected).
fn cancel_all(downloads: &RefCell<Vec<CancelHandle>>) {
    // A copy: cancelling runs callbacks, which must not find it borrowed.
    let handles = downloads.borrow().clone();
    for handle in handles {
        handle.cancel();
    }
}
// ANCHOR_END: quickest

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client, &Printer::new(|_, _| {})) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let start = Instant::now();
    let failed = Rc::new(Cell::new(false));
    let (flag, stopper) = (Rc::clone(&failed), reactor.clone());
    let _ = get_quickest(&reactor, &tasks)
        .add_callbacks(
            move |(task, poem): (usize, Vec<u8>)| {
                let took = format_duration(start.elapsed());
                println!(
                    "Task {task} was the quickest: {} bytes of poetry in {took}",
                    poem.len()
                );
            },
            move |failure: Failure| {
                eprintln!("error: every mirror failed; the last: {}", failure.error());
                flag.set(true);
            },
        )
        .add_both(move |_: Result<(), Failure>| {
            let _ = stopper.stop();
        });
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    if failed.get() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
