//! `client-1`: client 1.0. One `PoetrySocket` per server, each a reader
//! that our reactor calls whenever its socket has something to say.
//!
//! ```text
//! cargo run -p part-04 --bin client-1 -- 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli, report};
use part_03::Reactor;
use part_04::{Printer, SocketMode, get_poetry, servers};

/// Non-blocking sockets: every read returns at once.
const MODE: SocketMode = SocketMode::NonBlocking;

/// Downloads poetry from all the servers at once, on our reactor.
#[derive(Debug, Parser)]
#[command(name = env!("CARGO_BIN_NAME"), version)]
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

    // ANCHOR: main
    let start = Instant::now();
    let servers = servers(&args.client.addresses, &sockets);
    // Connects, hands every socket to the reactor, and runs it.
    let tasks = match get_poetry(
        &reactor,
        &servers,
        MODE,
        &args.client.timeouts,
        &Printer::stdio(),
    ) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let elapsed = start.elapsed();

    let mut got = 0;
    for socket in tasks.iter().flatten() {
        let socket = socket.borrow();
        if socket.is_finished() {
            println!("{}", report::poem_size(socket.task(), socket.poem().len()));
            got += 1;
        }
    }
    println!("{}", report::total(got, elapsed));
    // ANCHOR_END: main
    cli::client_exit(tasks.len() - got, tasks.len())
}
