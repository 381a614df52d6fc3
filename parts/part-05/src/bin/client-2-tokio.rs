//! `client-2-tokio`: client 2.0 on tokio. The same downloads and the same
//! lines as `client-2`, with one task per server on a current-thread
//! runtime instead of protocols on our reactor.
//!
//! ```text
//! cargo run -p part-05 --bin client-2-tokio -- 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_05::{client, tokio_client};

/// Client 2.0 on tokio: downloads poetry from all the servers at once, one
/// task per server, printing each chunk as it arrives.
#[derive(Debug, Parser)]
#[command(name = "client-2-tokio", version)]
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
    let addresses = args.client.addresses;

    // ANCHOR: main
    let start = Instant::now();
    let outcomes = tokio_client::get_poetry(&sockets, args.client.timeouts, move |event| {
        client::print_event(&addresses, event)
    });
    let outcomes = match outcomes {
        Ok(outcomes) => outcomes,
        Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
    };
    client::print_summary(&outcomes, start.elapsed())
    // ANCHOR_END: main
}
