//! Part 6, exercise 1: `get_poetry` with a time limit.
//!
//! `get_poetry_timeout` wraps client 3.1's `get_poetry`. If the poem has
//! not arrived within the limit, it hangs up and calls the errback with a
//! `TimedOut` error; a poem that does arrive in time goes to the callback
//! as before. Either way, exactly one of the two is called, once.
//!
//! ```text
//! cargo run -p part-06 --example part06-ex1-timeout -- --timeout-ms 500 10000 10001
//! ```

use std::cell::{Cell, RefCell};
use std::io;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::{ClientArgs, FetchError, cli, format_duration, report};
use part_03::{DelayedCall, Reactor};
use part_06::{Countdown, Outcome, Task, errback, print_summary, start_client};

/// Client 3.1 with a time limit on every download.
#[derive(Debug, Parser)]
#[command(name = "part06-ex1-timeout")]
struct Args {
    /// Milliseconds to wait for each poem before giving up on it.
    #[arg(long, default_value_t = 2000)]
    timeout_ms: u64,
    #[command(flatten)]
    client: ClientArgs,
}

// ANCHOR: timeout
type Callback = Box<dyn FnOnce(Vec<u8>)>;
type Errback = Box<dyn FnOnce(FetchError)>;

/// One download with a deadline: what is left to call, and whether the
/// deadline came first.
struct Deadline {
    limit: Duration,
    next: RefCell<Option<(Callback, Errback)>>,
    timer: RefCell<Option<DelayedCall>>,
    passed: Cell<bool>,
}

impl Deadline {
    /// The download is over; if the deadline passed first, whatever it
    /// ended with is a time-out.
    fn settle(&self, outcome: Outcome) {
        if let Some(timer) = self.timer.take()
            && timer.active()
        {
            let _ = timer.cancel();
        }
        let Some((callback, errback)) = self.next.take() else {
            return;
        };
        let timed_out = || {
            let limit = format_duration(self.limit);
            io::Error::new(io::ErrorKind::TimedOut, format!("no poem after {limit}"))
        };
        match (outcome, self.passed.get()) {
            (Ok(poem), false) => callback(poem),
            // Hanging up ends the connection cleanly: a partial poem.
            (Ok(poem), true) => errback(FetchError::Lost {
                received: poem.len(),
                source: timed_out(),
            }),
            (Err(FetchError::Connect(_)), true) => errback(FetchError::Connect(timed_out())),
            (Err(error), _) => errback(error),
        }
    }
}

/// Client 3.1's `get_poetry`, giving up after `limit`.
pub fn get_poetry_timeout(
    reactor: &Reactor,
    task: &Task,
    limit: Duration,
    callback: impl FnOnce(Vec<u8>) + 'static,
    errback: impl FnOnce(FetchError) + 'static,
) {
    let deadline = Rc::new(Deadline {
        limit,
        next: RefCell::new(Some((Box::new(callback), Box::new(errback)))),
        timer: RefCell::new(None),
        passed: Cell::new(false),
    });
    let (on_poem, on_error) = (Rc::clone(&deadline), Rc::clone(&deadline));
    let connector = errback::get_poetry(
        reactor,
        task,
        move |poem| on_poem.settle(Ok(poem)),
        move |error| on_error.settle(Err(error)),
    );
    // When the time is up: note it, and hang up (or stop connecting). The
    // download then ends, and `settle` calls it a time-out.
    let late = Rc::clone(&deadline);
    let timer = reactor.call_later(limit, move || {
        late.passed.set(true);
        connector.disconnect();
    });
    *deadline.timer.borrow_mut() = Some(timer);
}
// ANCHOR_END: timeout

fn main() -> ExitCode {
    let args = Args::parse();
    let (tasks, reactor) = match start_client(&args.client) {
        Ok(started) => started,
        Err(error) => return cli::fail(error),
    };
    let limit = Duration::from_millis(args.timeout_ms);
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
        get_poetry_timeout(&reactor, task, limit, got_poem, poem_failed);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
}
