//! `client-4-tokio`: client 4.0 on tokio. The same downloads and the same
//! lines as `client-4`, written as a Rust programmer would today: an
//! `async fn get_poetry` that returns a `Result`, every download awaited at
//! once with `join_all`, on a current-thread runtime.
//!
//! ```text
//! cargo run -p part-08 --bin client-4-tokio -- 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_06::{Printer, Task, print_summary};
use part_08::tokio_poetry::{block_on, get_poems};

/// Client 4.0 on tokio: downloads poetry from all the servers at once with
/// an async fn, printing each chunk as it arrives.
#[derive(Debug, Parser)]
#[command(name = "client-4-tokio", version)]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client, &Printer::stdio()) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };

    // ANCHOR: main
    let start = Instant::now();
    let poems = match block_on(get_poems(&tasks, None)) {
        Ok(poems) => poems,
        Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
    };
    print_summary(&poems, start.elapsed())
    // ANCHOR_END: main
}
