//! `fastpoetry-async`: `fastpoetry` written with `async`/`await` on our
//! own reactor. The same bytes and the same lines, from an accept loop
//! that spawns a task per connection on part 17's runtime.
//!
//! ```text
//! cargo run -p part-17 --bin fastpoetry-async -- --port 10000 poetry/ecstasy.txt
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli::{self, ServerArgs};
use part_11::{print_event, program};
use part_17::fast;

/// Serves a poem fast, with async/await on our reactor: the whole poem to
/// each client as soon as it connects, then the connection closes. One
/// task per connection, all on one thread.
#[derive(Debug, Parser)]
#[command(name = "fastpoetry-async", version)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    program::allow_many_clients();
    // ANCHOR: main
    // Loads the poem, listens, and prints `Serving FILE on port N.`
    let (poem, listener) = match args.server.open() {
        Ok(opened) => opened,
        Err(error) => return cli::fail(error),
    };
    match fast::serve(listener, poem, print_event) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("the server stopped: {error}")),
    }
    // ANCHOR_END: main
}
