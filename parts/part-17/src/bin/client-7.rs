//! `client-7`: client 7.0. The first address is a transformation server,
//! the rest are poetry servers. Every poem is downloaded, then sent to the
//! transformation server; if the transform fails, the client keeps the
//! original poem. Client 6.0's program, with each task written as
//! straight-line `async` code on our reactor (`inline_callbacks`).
//!
//! ```text
//! cargo run -p part-17 --bin client-7 -- 11000 10000 10001
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::{cli, report};
use part_03::Reactor;
use part_06::print_summary;
use part_12::{TransformClientArgs, TransformProxy};
use part_17::Runtime;
use part_17::client7::get_transformed_poem;

/// Client 7.0: downloads poetry from the servers after the first, and has
/// the first, a transformation server, transform each poem (keeping the
/// original if that fails).
#[derive(Debug, Parser)]
#[command(name = "client-7", version)]
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
    let runtime = Runtime::new(&reactor);
    let mut all = Vec::new();
    for task in &tasks {
        let (task, poems) = (task.clone(), Rc::clone(&poems));
        let (reactor, proxy, name) = (
            reactor.clone(),
            proxy.clone(),
            args.client.transform.clone(),
        );
        all.push(runtime.inline_callbacks(async move {
            let number = task.number;
            let address = task.address.clone();
            match get_transformed_poem(reactor, task, proxy, name).await {
                Ok(poem) => {
                    println!("{}", report::finished(number));
                    poems.borrow_mut()[number - 1] = Some(poem.into_bytes());
                }
                Err(failure) => {
                    eprintln!("{}", report::failed(number, &address, failure.error()));
                }
            }
            Ok(())
        }));
    }
    let everything = runtime.block_on(async move {
        for task in all {
            let _ = task.await;
        }
    });
    if let Err(failure) = everything {
        return cli::fail(format_args!("the reactor failed: {failure}"));
    }
    print_summary(&poems.borrow(), start.elapsed())
    // ANCHOR_END: main
}
