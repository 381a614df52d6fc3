//! `client-8-tokio`: client 8.0 on tokio. Each poem is an `async` block
//! (download, then transform, keeping the original if the transform
//! fails); `join_all` waits for all of them and gives their outcomes in
//! the order the servers were given, as the deferred list does.
//!
//! ```text
//! cargo run -p part-18 --bin client-8-tokio -- 11000 10000 10001
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use futures::future::join_all;
use part_02::{cli, report};
use part_06::tokio_poetry::block_on;
use part_06::{Task, print_summary};
use part_12::TransformClientArgs;
use part_17::client7::get_transformed_poem_tokio;

/// Client 8.0 on tokio: downloads poetry from the servers after the first,
/// has the first, a transformation server, transform each poem (keeping
/// the original if that fails), and reports once every download is over.
#[derive(Debug, Parser)]
#[command(name = "client-8-tokio", version)]
struct Args {
    #[command(flatten)]
    client: TransformClientArgs,
}

// ANCHOR: one_poem
/// One poem: downloaded, then transformed (or kept as it was), as client
/// 7.0 on tokio does it.
async fn one_poem(task: &Task, server: SocketAddr, name: &str) -> Option<Vec<u8>> {
    match get_transformed_poem_tokio(task, server, name).await {
        Ok(poem) => {
            println!("{}", report::finished(task.number));
            Some(poem.into_bytes())
        }
        Err(error) => {
            eprintln!("{}", report::failed(task.number, &task.address, &error));
            None
        }
    }
}
// ANCHOR_END: one_poem

fn main() -> ExitCode {
    let args = Args::parse();
    let (server, tasks) = match args.client.resolve() {
        Ok(resolved) => resolved,
        Err(error) => return cli::fail(error),
    };
    let (server, name) = (server, args.client.transform.as_str());

    // ANCHOR: main
    let start = Instant::now();
    let poems = match block_on(join_all(
        tasks.iter().map(|task| one_poem(task, server, name)),
    )) {
        Ok(poems) => poems,
        Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
    };
    print_summary(&poems, start.elapsed())
    // ANCHOR_END: main
}
