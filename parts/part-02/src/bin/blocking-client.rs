//! `blocking-client`: downloads a poem from each server in turn, waiting for
//! each one to finish before it starts the next.
//!
//! ```text
//! cargo run -p part-02 --bin blocking-client -- 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, blocking, cli, report};

/// Downloads poetry from each server in turn, one after another.
#[derive(Debug, Parser)]
#[command(name = "blocking-client", version)]
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

    // ANCHOR: main_loop
    let start = Instant::now();
    let mut got = 0;
    for (i, (address, socket)) in args.client.addresses.iter().zip(&sockets).enumerate() {
        let task = i + 1;
        println!("{}", report::starting(task, address));
        let task_start = Instant::now();
        // Nothing else happens until this download is over.
        match blocking::get_poetry(*socket, &args.client.timeouts, |_| {}) {
            Ok(poem) => {
                let took = task_start.elapsed();
                println!("{}", report::got_poem_in(task, poem.len(), address, took));
                got += 1;
            }
            Err(error) => eprintln!("{}", report::failed(task, address, error)),
        }
    }
    println!("{}", report::total(got, start.elapsed()));
    // ANCHOR_END: main_loop
    cli::client_exit(sockets.len() - got, sockets.len())
}
