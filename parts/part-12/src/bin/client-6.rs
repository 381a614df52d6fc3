//! `client-6`: client 6.0. The first address is a transformation server,
//! the rest are poetry servers. Every poem is downloaded with part 8's
//! `get_poetry`, then sent to the transformation server through a
//! `TransformProxy`; if the transform fails, the client keeps the original
//! poem.
//!
//! ```text
//! cargo run -p part-12 --bin client-6 -- 11000 10000 10001
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{cli, report};
use part_03::Reactor;
use part_06::{Countdown, print_summary};
use part_07::Failure;
use part_12::{TransformClientArgs, TransformProxy, get_transformed_poetry};

/// Client 6.0: downloads poetry from the servers after the first, and has
/// the first, a transformation server, transform each poem (keeping the
/// original if that fails).
#[derive(Debug, Parser)]
#[command(name = "client-6", version)]
struct Args {
    #[command(flatten)]
    client: TransformClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (server, tasks) = match args.client.resolve() {
        Ok(resolved) => resolved,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let proxy = TransformProxy::new(&reactor, server).with_timeouts(args.client.timeouts());

    // ANCHOR: main
    let start = Instant::now();
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in &tasks {
        let (number, poems) = (task.number, Rc::clone(&poems));
        let got_poem = move |poem: String| {
            println!("{}", report::finished(number));
            poems.borrow_mut()[number - 1] = Some(poem.into_bytes());
        };
        let address = task.address.clone();
        let poem_failed = move |failure: Failure| {
            eprintln!("{}", report::failed(number, &address, failure.error()));
        };
        let done = countdown.clone();
        let _ = get_transformed_poetry(&reactor, task, &proxy, &args.client.transform)
            .add_callbacks(got_poem, poem_failed)
            .add_both(move |_: Result<(), Failure>| done.one_done());
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
