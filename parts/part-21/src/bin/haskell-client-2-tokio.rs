//! `haskell-client-2-tokio`: `haskell-client-2` on tokio. The same
//! arguments and output: the poems in order, each line as it arrives,
//! every download started at once in a tokio local task.
//!
//! ```text
//! cargo run -p part-21 --bin haskell-client-2-tokio -- 10000 10001 10002
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_21::haskell::print_in_order;
use part_21::tokio_side::{poem_lines_tokio, read_ahead_tokio};

/// The second Haskell-style client on tokio: prints every poem, in order,
/// each line as soon as it has arrived and its poem's turn has come.
#[derive(Debug, Parser)]
#[command(name = "haskell-client-2-tokio", version)]
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
        let poems: Vec<_> = sockets
            .iter()
            .map(|&addr| read_ahead_tokio(poem_lines_tokio(addr, timeouts)))
            .zip(args.client.addresses)
            .collect();
        print_in_order(poems).await
    };
    match part_06::tokio_poetry::block_on(everything) {
        Ok(failed) => cli::client_exit(failed, total),
        Err(error) => cli::fail(format_args!("cannot start the runtime: {error}")),
    }
    // ANCHOR_END: main
}
