//! `haskell-client-1`: the series' first Haskell client. One task per
//! poem; each task prints a line for every line of its poem as the line
//! arrives (`Task N: got B bytes of poetry from ADDRESS`), and then the
//! whole poem, as soon as its own server is done.
//!
//! ```text
//! cargo run -p part-21 --bin haskell-client-1 -- 10000 10001 10002
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_03::Reactor;
use part_17::Runtime;
use part_21::haskell::{in_order, poem_lines, print_as_it_comes};

/// The first Haskell-style client: one task per poem, a line of report
/// for each line of poetry as it arrives, each poem printed when it is
/// complete.
#[derive(Debug, Parser)]
#[command(name = "haskell-client-1", version)]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sockets = match args.client.resolve() {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let runtime = match Reactor::new() {
        Ok(reactor) => Runtime::new(&reactor),
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let timeouts = args.client.timeouts;

    // ANCHOR: main
    let mut tasks = Vec::new();
    for (task, (addr, address)) in (1..).zip(sockets.into_iter().zip(args.client.addresses)) {
        let lines = poem_lines(&runtime, addr, timeouts);
        tasks.push(runtime.spawn(print_as_it_comes(task, address, lines)));
    }
    let total = tasks.len();
    let outcomes = match runtime.block_on(in_order(tasks)) {
        Ok(outcomes) => outcomes,
        Err(failure) => return cli::fail(format_args!("the runtime failed: {failure}")),
    };
    let failed = outcomes
        .iter()
        .filter(|got| !matches!(got, Ok(true)))
        .count();
    cli::client_exit(failed, total)
    // ANCHOR_END: main
}
