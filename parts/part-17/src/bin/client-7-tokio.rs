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
use part_02::{ClientArgs, cli, report};
use part_06::{Printer, Task, print_summary};
use part_17::client7::get_transformed_poem_tokio;

/// Client 7.0 on tokio: downloads poetry from the servers after the
/// first, and has the first, a transformation server, transform each poem
/// (keeping the original if that fails).
#[derive(Debug, Parser)]
#[command(name = "client-7-tokio", version)]
struct Args {
    /// The transform to ask for.
    #[arg(long, default_value = "cummingsify")]
    transform: String,
    /// The transformation server, then the poetry servers.
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.client.addresses.len() < 2 {
        return cli::fail("give a transformation server and at least one poetry server");
    }
    let sockets = match args.client.resolve() {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let tasks: Vec<Task> = Task::numbered(
        &args.client.addresses[1..],
        &sockets[1..],
        &Printer::stdio(),
    )
    .into_iter()
    .map(|task| task.with_timeouts(args.client.timeouts))
    .collect();

    // ANCHOR: main
    let start = Instant::now();
    let one = |task: &Task| {
        let (task, transformer, name) = (task.clone(), sockets[0], args.transform.clone());
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
