//! `client-8`: client 8.0. Client 6.0's downloads and transforms, with one
//! change: instead of counting finished poems down, the client puts every
//! poem's deferred in one `DeferredList`, which fires once all of them
//! have, with every outcome in the order the servers were given. Its
//! callback stops the reactor; the report is printed once, from the list's
//! outcomes.
//!
//! ```text
//! cargo run -p part-18 --bin client-8 -- 11000 10000 10001
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{cli, report};
use part_03::Reactor;
use part_06::print_summary;
use part_07::Failure;
use part_12::{TransformClientArgs, TransformProxy, get_transformed_poetry};
use part_18::{DeferredList, ListOptions, ListResult};

/// Client 8.0: downloads poetry from the servers after the first, has the
/// first, a transformation server, transform each poem (keeping the
/// original if that fails), and reports once every download is over.
#[derive(Debug, Parser)]
#[command(name = "client-8", version)]
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
    let poems = Rc::new(RefCell::new(Vec::new()));
    let mut downloads = Vec::new();
    for task in &tasks {
        let number = task.number;
        let got_poem = move |poem: String| {
            println!("{}", report::finished(number));
            Ok(poem.into_bytes())
        };
        let address = task.address.clone();
        let poem_failed = move |failure: Failure| {
            eprintln!("{}", report::failed(number, &address, failure.error()));
            Err(failure)
        };
        downloads.push(
            get_transformed_poetry(&reactor, task, &proxy, &args.client.transform)
                .add_callbacks(got_poem, poem_failed),
        );
    }
    let options = ListOptions {
        consume_errors: true,
        ..ListOptions::default()
    };
    let (stopper, all) = (reactor.clone(), Rc::clone(&poems));
    let _ = DeferredList::new(downloads, options)
        .into_deferred()
        .add_callback(move |outcomes: ListResult<Vec<u8>>| {
            let outcomes = outcomes.into_all().unwrap_or_default();
            *all.borrow_mut() = outcomes.into_iter().map(Result::ok).collect();
            Ok(stopper.stop()?)
        });
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
