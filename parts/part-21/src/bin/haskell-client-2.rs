//! `haskell-client-2`: the series' second Haskell client. No task
//! numbers, no reports: the poems, in the order their servers were given,
//! each printed line by line as its bytes arrive. The poems further down
//! the list download at the same time, and wait (a bounded number of
//! lines each) until their turn comes.
//!
//! ```text
//! cargo run -p part-21 --bin haskell-client-2 -- 10000 10001 10002
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_03::Reactor;
use part_17::Runtime;
use part_21::haskell::{poem_lines, print_in_order, read_ahead};

/// The second Haskell-style client: prints every poem, in order, each
/// line as soon as it has arrived and its poem's turn has come.
#[derive(Debug, Parser)]
#[command(name = "haskell-client-2", version)]
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
    // Every download starts now, each polled by a task of its own…
    let poems: Vec<_> = sockets
        .iter()
        .map(|&addr| read_ahead(&runtime, poem_lines(&runtime, addr, timeouts)))
        .zip(args.client.addresses)
        .collect();
    let total = poems.len();
    // …and the main task takes their lines out, poem after poem.
    let printed = runtime.block_on(print_in_order(poems));
    match printed {
        Ok(failed) => cli::client_exit(failed, total),
        Err(failure) => cli::fail(format_args!("the runtime failed: {failure}")),
    }
    // ANCHOR_END: main
}
