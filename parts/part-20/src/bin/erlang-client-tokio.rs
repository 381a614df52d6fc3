//! `erlang-client-tokio`: the Erlang-style poetry client on tokio. The
//! same arguments and lines as `erlang-client`: each worker is a task
//! spawned into a `JoinSet`, the mailbox is an `mpsc` channel, and the
//! set, joined, says when a worker ends and why.
//!
//! ```text
//! cargo run -p part-20 --bin erlang-client-tokio -- 10000 10001 10002
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_06::tokio_poetry::block_on;
use part_06::{Printer, Task};
use part_20::client::{SupervisorArgs, finish};
use part_20::tokio_side::collect_poems;

/// Get Poetry Now!, Erlang edition, on tokio: one task per server,
/// messages on a channel, a `JoinSet` as the monitor.
#[derive(Debug, Parser)]
#[command(name = "erlang-client-tokio", version)]
struct Args {
    #[command(flatten)]
    supervisor: SupervisorArgs,
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tasks = match Task::all(&args.client, &Printer::stdio()) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let options = match args.supervisor.options(tasks.len()) {
        Ok(options) => options,
        Err(error) => return cli::fail(error),
    };
    let start = Instant::now();
    match block_on(collect_poems(tasks, options, Printer::stdio())) {
        Ok(poems) => finish(&poems, start.elapsed()),
        Err(error) => cli::fail(format_args!("cannot start the runtime: {error}")),
    }
}
