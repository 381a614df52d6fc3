//! `slowpoetry`: a blocking poetry server that serves one client at a time,
//! a few bytes at a time.
//!
//! ```text
//! cargo run -p part-02 --bin slowpoetry -- --port 10000 poetry/ecstasy.txt
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli::{self, PacingArgs, ServerArgs};
use part_02::server::{self, Shutdown};

/// Serves a poem slowly: NUM_BYTES bytes every DELAY seconds, to one client at
/// a time. Clients that connect meanwhile wait their turn.
#[derive(Debug, Parser)]
#[command(name = "slowpoetry", version)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
    #[command(flatten)]
    pacing: PacingArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (poem, listener) = match args.server.open() {
        Ok(opened) => opened,
        Err(error) => return cli::fail(error),
    };
    server::serve(
        &listener,
        &poem,
        args.pacing.options(),
        &Shutdown::new(),
        server::print_event,
    );
    ExitCode::SUCCESS
}
