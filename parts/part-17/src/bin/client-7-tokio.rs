//! `client-7-tokio`: client 7.0 on tokio. The same arguments, lines and
//! fallbacks as `client-7`; every task is an `async` block on a
//! current-thread runtime, as every task of `client-7` is one on our
//! reactor.
//!
//! ```text
//! cargo run -p part-17 --bin client-7-tokio -- 11000 10000 10001
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use futures::future::join_all;
use part_02::{cli, report};
use part_06::{Task, print_summary};
use part_12::TransformClientArgs;
use part_17::client7::get_transformed_poem_tokio;

/// Client 7.0 on tokio: downloads poetry from the servers after the
/// first, and has the first, a transformation server, transform each poem
/// (keeping the original if that fails).
#[derive(Debug, Parser)]
#[command(name = "client-7-tokio", version)]
struct Args {
    #[command(flatten)]
    client: TransformClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (server, tasks) = match args.client.resolve() {
        Ok(resolved) => resolved,
        Err(error) => return cli::fail(error),
    };

    // ANCHOR: main
    let start = Instant::now();
    let one = |task: &Task| {
        let (task, transformer, name) = (task.clone(), server, args.client.transform.clone());
        async move {
            match get_transformed_poem_tokio(&task, transformer, &name).await {
                Ok(poem) => {
                    println!("{}", report::finished(task.number));
                    Some(poem.into_bytes())
                }
                Err(error) => {
                    eprintln!("{}", report::failed(task.number, &task.address, error));
                    None
                }
            }
        }
    };
    let poems = match part_06::tokio_poetry::block_on(join_all(tasks.iter().map(one))) {
        Ok(poems) => poems,
        Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
    };
    print_summary(&poems, start.elapsed())
    // ANCHOR_END: main
}
