//! `transformedpoetry-tokio`: `transformedpoetry` on tokio. The same
//! replies and the same lines, from an accept loop that spawns a task per
//! connection, each reading its request through the netstring codec.
//!
//! ```text
//! cargo run -p part-12 --bin transformedpoetry-tokio -- --port 11000
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{cli, log};
use part_12::cli::{TransformServerArgs, serving};
use part_12::{print_event, tokio_server};

/// Serves poetry transforms (cummingsify) over netstrings, on tokio: one
/// request per connection, one reply, then the connection closes.
#[derive(Debug, Parser)]
#[command(name = "transformedpoetry-tokio", version)]
struct Args {
    #[command(flatten)]
    server: TransformServerArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Every client is a file descriptor, as for the other servers.
    part_11::program::allow_many_clients();
    let options = args.server.options();
    let listener = match part_02::server::listen(&args.server.iface, args.server.port) {
        Ok(listener) => listener,
        Err(error) => return cli::fail(error),
    };
    if let Err(error) = args.server.write.apply(&listener) {
        return cli::fail(format_args!("cannot set the write timeout: {error}"));
    }
    let port = listener.local_addr().map_or(args.server.port, |a| a.port());
    log::out(serving(&options.transforms, port));
    match tokio_server::serve(listener, options, print_event) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("cannot start the runtime: {error}")),
    }
}
