//! `erlang-client`: the series' Erlang poetry client, on our runtime. One
//! process (a task) per server reads its poem and sends it to the main
//! process in a message; the main process monitors every worker, prints
//! each poem and each "down" message as it comes, and stops when every
//! worker is down. With `--restarts N` it supervises them too.
//!
//! ```text
//! cargo run -p part-20 --bin erlang-client -- 10000 10001 10002
//! cargo run -p part-20 --bin erlang-client -- --restarts 2 --crash 1 10000 10001
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_17::Runtime;
use part_20::client::{SupervisorArgs, collect_poems, finish};

/// Get Poetry Now!, Erlang edition: one process per server, messages to a
/// main process that monitors them all.
#[derive(Debug, Parser)]
#[command(name = "erlang-client", version)]
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
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    // ANCHOR: main
    let start = Instant::now();
    let runtime = Runtime::new(&reactor);
    let main_process = collect_poems(runtime.clone(), tasks, options, Printer::stdio());
    match runtime.block_on(main_process) {
        Ok(poems) => finish(&poems, start.elapsed()),
        Err(failure) => cli::fail(format_args!("the main process failed: {failure}")),
    }
    // ANCHOR_END: main
}
