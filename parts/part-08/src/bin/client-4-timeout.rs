//! `client-4-timeout`: client 4.0 with a time limit, the series' exercise
//! for part 8. Each download's deferred races a timed call on the reactor:
//! a download that has not finished when its time is up is cancelled (its
//! connection closed) and reported as a failure; the others go on.
//!
//! ```text
//! cargo run -p part-08 --bin client-4-timeout -- --timeout 2.5 10000 10001 10002
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::{ClientArgs, cli, report};
use part_03::Reactor;
use part_06::{Countdown, Printer, Task, print_summary};
use part_07::Failure;
use part_08::get_poetry;

/// Client 4.0 with a time limit: downloads poetry from all the servers at
/// once, and gives up on any download that takes longer than the limit.
#[derive(Debug, Parser)]
#[command(name = "client-4-timeout", version)]
struct Args {
    /// Seconds to wait for each poem before giving up on it (e.g. 2.5).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Duration,
    #[command(flatten)]
    client: ClientArgs,
}

/// A number of seconds, more than 0.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    match cli::parse_seconds(text)? {
        Duration::ZERO => Err("must be more than 0 seconds".to_string()),
        limit => Ok(limit),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client, &Printer::stdio()) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };

    // ANCHOR: main
    let start = Instant::now();
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in &tasks {
        let (number, poems) = (task.number, Rc::clone(&poems));
        let got_poem = move |poem: Vec<u8>| {
            println!("{}", report::finished(number));
            poems.borrow_mut()[number - 1] = Some(poem);
        };
        let address = task.address.clone();
        let poem_failed = move |failure: Failure| {
            eprintln!("{}", report::failed(number, &address, failure.error()));
        };
        let done = countdown.clone();
        let poem_done = move |_: Result<(), Failure>| done.one_done();
        // The only new line: the download races a timer.
        let deferred = get_poetry(&reactor, task).add_timeout(&reactor, args.timeout);
        let _ = deferred
            .add_callbacks(got_poem, poem_failed)
            .add_both(poem_done);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
