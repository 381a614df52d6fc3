//! `haskell-client-1-tokio`: `haskell-client-1` on tokio. The same
//! arguments and lines; each poem's task is a tokio local task on a
//! current-thread runtime, reading through `FramedRead`.
//!
//! ```text
//! cargo run -p part-21 --bin haskell-client-1-tokio -- 10000 10001 10002
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_21::haskell::print_as_it_comes;
use part_21::tokio_side::poem_lines_tokio;

/// The first Haskell-style client on tokio: one task per poem, a line of
/// report for each line of poetry as it arrives, each poem printed when
/// it is complete.
#[derive(Debug, Parser)]
#[command(name = "haskell-client-1-tokio", version)]
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
    let timeouts = args.client.timeouts;
    let total = sockets.len();

    // ANCHOR: main
    let everything = async move {
        let mut tasks = Vec::new();
        for (task, (addr, address)) in (1..).zip(sockets.into_iter().zip(args.client.addresses)) {
            let lines = poem_lines_tokio(addr, timeouts);
            tasks.push(tokio::task::spawn_local(print_as_it_comes(
                task, address, lines,
            )));
        }
        let mut failed = 0;
        for task in tasks {
            failed += usize::from(!matches!(task.await, Ok(true)));
        }
        failed
    };
    match part_06::tokio_poetry::block_on(everything) {
        Ok(failed) => cli::client_exit(failed, total),
        Err(error) => cli::fail(format_args!("cannot start the runtime: {error}")),
    }
    // ANCHOR_END: main
}
