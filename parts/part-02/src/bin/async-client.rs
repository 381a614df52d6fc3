//! `async-client`: downloads a poem from every server at once, on one thread,
//! with non-blocking sockets and a readiness loop written by hand on `mio`.
//!
//! ```text
//! cargo run -p part-02 --bin async-client -- 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::async_client::{self, Event};
use part_02::{ClientArgs, cli, report};

/// Downloads poetry from all the servers at once, printing each chunk as it
/// arrives.
#[derive(Debug, Parser)]
#[command(name = "async-client", version)]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sockets = match args.client.resolve() {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let addresses = &args.client.addresses;

    // ANCHOR: main_loop
    let start = Instant::now();
    // One call downloads everything; the loop inside reports as it goes.
    let results = async_client::get_poetry(&sockets, &args.client.timeouts, |event| match event {
        Event::Received { task, bytes } => {
            println!("{}", report::got_chunk(task, bytes, &addresses[task - 1]))
        }
        Event::Finished { task } => println!("{}", report::finished(task)),
        Event::Failed { task, error } => {
            eprintln!("{}", report::failed(task, &addresses[task - 1], error))
        }
    });
    let elapsed = start.elapsed();
    // ANCHOR_END: main_loop
    let results = match results {
        Ok(results) => results,
        Err(error) => return cli::fail(format_args!("the readiness loop failed: {error}")),
    };

    let mut got = 0;
    for (i, result) in results.iter().enumerate() {
        if let Ok(poem) = result {
            println!("{}", report::poem_size(i + 1, poem.len()));
            got += 1;
        }
    }
    println!("{}", report::total(got, elapsed));
    cli::client_exit(results.len() - got, results.len())
}
