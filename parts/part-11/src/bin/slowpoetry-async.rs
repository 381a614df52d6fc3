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
use part_02::cli::{PacingArgs, ServerArgs};
use part_02::load_poem;
use part_11::program::{self, ServerError};
use part_11::{SlowPoetryFactory, listen_tcp, print_event};

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
    program::allow_many_clients();
    program::exit(serve(args))
}

// ANCHOR: main
/// Serves the poem, paced, until the reactor stops; any failure is the
/// error the program exits with.
fn serve(Args { server, pacing }: Args) -> Result<(), ServerError> {
    let poem = load_poem(&server.poetry_file)?;
    let reactor = program::new_reactor()?;
    let factory = SlowPoetryFactory::new(&reactor, poem, pacing.options(), print_event);
    let port = listen_tcp(&reactor, &server.iface, server.port, factory)?;
    port.set_write_timeout(&server.write)?;
    program::say_where(server.poetry_file.display(), &port, "");
    program::run(&reactor)
}
// ANCHOR_END: main
