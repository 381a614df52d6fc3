//! `client-5-tokio`: client 5.0 on tokio. The same downloads, the same
//! transform with the same dice, and the same lines as `client-5`, written
//! as an `async fn` that returns a `Result`: `?` passes failures on, and a
//! `match` on the transform's error does what client 5.0's callback did.
//!
//! ```text
//! cargo run -p part-10 --bin client-5-tokio -- --seed 7 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::cli;
use part_06::{Printer, Task, print_summary};
use part_08::tokio_poetry::block_on;
use part_10::Client5Args;
use part_10::tokio_poetry::get_poems;

/// Client 5.0 on tokio: downloads poetry from all the servers at once with
/// an async fn and cummingsifies each poem.
#[derive(Debug, Parser)]
#[command(name = "client-5-tokio", version)]
struct Args {
    #[command(flatten)]
    client: Client5Args,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client.client, &Printer::stdio()) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };

    // ANCHOR: main
    let start = Instant::now();
    let (seed, print) = (args.client.seed(), args.client.print);
    let poems = match block_on(get_poems(&tasks, seed, print)) {
        Ok(poems) => poems,
        Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
    };
    print_summary(&poems, start.elapsed())
    // ANCHOR_END: main
}
