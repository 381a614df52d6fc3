//! `fastpoetry`: the series' first Twisted server. Every client gets the
//! whole poem at once, and then the connection closes; any number of
//! clients are served at the same time, on one reactor.
//!
//! ```text
//! cargo run -p part-11 --bin fastpoetry -- --port 10000 poetry/ecstasy.txt
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli::{self, ServerArgs};
use part_02::load_poem;
use part_03::Reactor;
use part_11::{FastPoetryFactory, listen_tcp, print_event, raise_file_limit};

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
    if let Err(error) = raise_file_limit() {
        eprintln!("warning: cannot raise the limit on open files: {error}");
    }
    let ServerArgs {
        port,
        iface,
        poetry_file,
    } = args.server;

    // ANCHOR: main
    let poem = match load_poem(&poetry_file) {
        Ok(poem) => poem,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let factory = FastPoetryFactory::new(poem, print_event);
    let port = match listen_tcp(&reactor, &iface, port, factory) {
        Ok(port) => port,
        Err(error) => return cli::fail(error),
    };
    println!(
        "Serving {} on port {}.",
        poetry_file.display(),
        port.local_addr().port()
    );
    match reactor.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
    // ANCHOR_END: main
}
