//! Part 6, exercise 2: try again before giving up.
//!
//! `get_poetry_retry` wraps client 3.1's `get_poetry`. When a download
//! fails, it waits a little and starts it again, up to a number of tries;
//! only the last failure reaches the errback. The caller's two closures
//! are handed from one try to the next, and only one of them is ever
//! called.
//!
//! ```text
//! cargo run -p part-06 --example part06-ex2-retry -- --tries 3 --wait-ms 500 10000 10001
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::{ClientArgs, FetchError, cli, format_duration, report};
use part_03::Reactor;
use part_06::{Countdown, Task, errback, print_summary, start_client};

/// Client 3.1, trying every failed download again.
#[derive(Debug, Parser)]
#[command(name = "part06-ex2-retry")]
struct Args {
    /// How many times to try each download, counting the first.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    tries: u32,
    /// Milliseconds to wait before trying again.
    #[arg(long, default_value_t = 500)]
    wait_ms: u64,
    #[command(flatten)]
    client: ClientArgs,
}

// ANCHOR: retry
type Callback = Box<dyn FnOnce(Vec<u8>)>;
type Errback = Box<dyn FnOnce(FetchError)>;
/// The caller's closures, passed from try to try until one is called.
type Next = Rc<RefCell<Option<(Callback, Errback)>>>;

/// Client 3.1's `get_poetry`, trying up to `tries` times, `wait` apart.
pub fn get_poetry_retry(
    reactor: &Reactor,
    task: &Task,
    tries: u32,
    wait: Duration,
    callback: impl FnOnce(Vec<u8>) + 'static,
    errback: impl FnOnce(FetchError) + 'static,
) {
    let next: Next = Rc::new(RefCell::new(Some((Box::new(callback), Box::new(errback)))));
    attempt(reactor, task, tries.max(1), wait, next);
}

/// One try, with `left` tries left counting this one.
fn attempt(reactor: &Reactor, task: &Task, left: u32, wait: Duration, next: Next) {
    let on_poem = {
        let next = Rc::clone(&next);
        move |poem| {
            if let Some((callback, _)) = next.take() {
                callback(poem);
            }
        }
    };
    let on_error = {
        let (reactor, task) = (reactor.clone(), task.clone());
        move |error: FetchError| {
            if left <= 1 {
                if let Some((_, errback)) = next.take() {
                    errback(error);
                }
                return;
            }
            let again = format_duration(wait);
            let number = task.number;
            task.printer
                .err(&format!("Task {number}: {error}; trying again in {again}"));
            // From the reactor, later: not from inside this errback.
            let handle = reactor.clone();
            reactor.call_later(wait, move || attempt(&handle, &task, left - 1, wait, next));
        }
    };
    errback::get_poetry(reactor, task, on_poem, on_error);
}
// ANCHOR_END: retry

fn main() -> ExitCode {
    let args = Args::parse();
    let (tasks, reactor) = match start_client(&args.client) {
        Ok(started) => started,
        Err(error) => return cli::fail(error),
    };
    let wait = Duration::from_millis(args.wait_ms);
    let start = Instant::now();
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in &tasks {
        let (number, poems, done) = (task.number, Rc::clone(&poems), countdown.clone());
        let got_poem = move |poem: Vec<u8>| {
            println!("{}", report::finished(number));
            poems.borrow_mut()[number - 1] = Some(poem);
            done.one_done();
        };
        let (address, done) = (task.address.clone(), countdown.clone());
        let poem_failed = move |error: FetchError| {
            eprintln!("{}", report::failed(number, &address, error));
            done.one_done();
        };
        get_poetry_retry(&reactor, task, args.tries, wait, got_poem, poem_failed);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
}
