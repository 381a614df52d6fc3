//! `fastpoetry`: the series' first Twisted server. Every client gets the
//! whole poem at once, and then the connection closes; any number of
//! clients are served at the same time, on one reactor.
//!
//! ```text
//! cargo run -p part-11 --bin fastpoetry -- --port 10000 poetry/ecstasy.txt
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli::ServerArgs;
use part_02::load_poem;
use part_11::program::{self, ServerError};
use part_11::{FastPoetryFactory, listen_tcp, print_event};

/// Serves a poem fast: the whole poem to each client as soon as it
/// connects, then the connection closes. Serves every client at once, on
/// one reactor.
#[derive(Debug, Parser)]
#[command(name = "fastpoetry", version)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    program::allow_many_clients();
    program::exit(serve(args.server))
}

// ANCHOR: main
/// Serves the poem until the reactor stops; any failure is the error the
/// program exits with.
fn serve(server: ServerArgs) -> Result<(), ServerError> {
    let poem = load_poem(&server.poetry_file)?;
    let reactor = program::new_reactor()?;
    let factory = FastPoetryFactory::new(poem, print_event);
    let port = listen_tcp(&reactor, &server.iface, server.port, factory)?;
    port.set_write_timeout(&server.write)?;
    program::say_where(server.poetry_file.display(), &port, "");
    program::run(&reactor)
}
// ANCHOR_END: main
