//! `client-2-stack`: client 2.0's layers, seen from inside. Connects to the
//! servers, and when the first bytes of poetry arrive, prints the stack of
//! calls that led to `data_received` (the reactor at the bottom, then the
//! connection, then the protocol), and stops.
//!
//! ```text
//! cargo run -p part-05 --bin client-2-stack -- 10000
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_03::Reactor;
use part_05::connect_tcp_with;
use part_05::stack::ShowStackFactory;

/// Prints the call stack from inside a protocol's `data_received`, once,
/// then stops.
#[derive(Debug, Parser)]
#[command(name = "client-2-stack", version)]
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
    let factory = ShowStackFactory::new(&reactor, sockets.len());
    for &addr in &sockets {
        connect_tcp_with(&reactor, addr, factory.clone(), args.client.timeouts);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    if !factory.shown() {
        return cli::fail("no poetry arrived, so there was no stack to show");
    }
    ExitCode::SUCCESS
}
