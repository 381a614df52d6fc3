//! `slowpoetry-async`: part 2's slow poetry server on our reactor, with
//! timed calls instead of sleeps, so that it serves every client at once.
//! The series left it as an exercise. On the wire it is `slowpoetry`: the
//! same options, the same bytes, the same pacing.
//!
//! ```text
//! cargo run -p part-11 --bin slowpoetry-async -- --port 10000 poetry/ecstasy.txt
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli::{self, PacingArgs, ServerArgs};
use part_02::load_poem;
use part_03::Reactor;
use part_11::{SlowPoetryFactory, listen_tcp, print_event, raise_file_limit};

/// Serves a poem slowly: NUM_BYTES bytes every DELAY seconds, to every
/// client at once (a timed call per chunk, on one reactor, where part 2's
/// slowpoetry sleeps and serves one client at a time).
#[derive(Debug, Parser)]
#[command(name = "slowpoetry-async", version)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
    #[command(flatten)]
    pacing: PacingArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Every client is a file descriptor: allow as many as the system lets
    // this process have.
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
    let factory = SlowPoetryFactory::new(&reactor, poem, args.pacing.options(), print_event);
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
