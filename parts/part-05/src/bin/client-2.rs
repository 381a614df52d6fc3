//! `client-2`: client 2.0. Downloads a poem from every server at once, on
//! our reactor, with a `PoetryProtocol` per connection and one
//! `PoetryClientFactory` for the program.
//!
//! ```text
//! cargo run -p part-05 --bin client-2 -- 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_03::Reactor;
use part_05::client::{self, PoetryClientFactory};
use part_05::connect_tcp_with;

/// Client 2.0: downloads poetry from all the servers at once with
/// protocols and a protocol factory on our reactor, printing each chunk as
/// it arrives.
#[derive(Debug, Parser)]
#[command(name = "client-2", version)]
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
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let addresses = args.client.addresses;

    // ANCHOR: main
    let start = Instant::now();
    // One factory for the program; it prints each event as it happens.
    let factory = PoetryClientFactory::new(&reactor, &sockets, move |event| {
        client::print_event(&addresses, event)
    });
    // One connection per server, all started before any is made.
    for &addr in &sockets {
        connect_tcp_with(&reactor, addr, factory.clone(), args.client.timeouts);
    }
    // The factory stops the reactor when the last task is over.
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    client::print_summary(&factory.results(), start.elapsed())
    // ANCHOR_END: main
}
