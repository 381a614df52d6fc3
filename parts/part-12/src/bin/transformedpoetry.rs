//! `transformedpoetry`: the series' transformation server, on our reactor.
//! Each client sends one netstring request, `LEN:NAME.POEM,`, and gets one
//! netstring back with the transformed poem; an unknown or failed
//! transform, or anything that is not a request, gets the connection
//! closed instead, with a line saying why.
//!
//! ```text
//! cargo run -p part-12 --bin transformedpoetry -- --port 11000
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{cli, log};
use part_03::Reactor;
use part_11::listen_tcp;
use part_12::cli::{TransformServerArgs, serving};
use part_12::{TransformFactory, print_event};

/// Serves poetry transforms (cummingsify) over netstrings: one request per
/// connection, one reply, then the connection closes.
#[derive(Debug, Parser)]
#[command(name = "transformedpoetry", version)]
struct Args {
    #[command(flatten)]
    server: TransformServerArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Every client is a file descriptor, as for the other servers.
    part_11::program::allow_many_clients();
    let options = args.server.options();
    // ANCHOR: main
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let names = options.transforms.clone();
    let factory = TransformFactory::new(&reactor, options, print_event);
    let port = match listen_tcp(&reactor, &args.server.iface, args.server.port, factory) {
        Ok(port) => port,
        Err(error) => return cli::fail(error),
    };
    log::out(serving(&names, port.local_addr().port()));
    // ANCHOR_END: main
    if let Err(error) = port.set_write_timeout(&args.server.write) {
        return cli::fail(format_args!("cannot set the write timeout: {error}"));
    }
    match reactor.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}
