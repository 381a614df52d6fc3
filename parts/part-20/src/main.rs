//! The guided demo of part 20: `cargo run -p part-20`.
//!
//! Three scenes with the Erlang-style client on our runtime, against slow
//! servers started in this process: three workers send their poems to a
//! main process that hears each one go down; then a refused port and a
//! worker that panics, both reported as down messages; then the same
//! under a supervisor, which restarts the crashed worker (it succeeds the
//! second time) and gives up on the refused port after two restarts.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::Address;
use part_02::cli;
use part_02::demo::{DemoArgs, closed_port};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_17::Runtime;
use part_20::Restarts;
use part_20::client::{ClientOptions, collect_poems};

/// Part 20 — Wheels within wheels: processes, a mailbox and monitors on
/// our runtime, then a supervisor.
#[derive(Debug, Parser)]
#[command(name = "part-20", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let servers = match args.demo.start() {
        Ok(servers) => servers,
        Err(error) => return cli::fail(format_args!("cannot start the servers: {error}")),
    };
    let closed = match closed_port() {
        Ok(closed) => closed,
        Err(error) => return cli::fail(format_args!("cannot find a free port: {error}")),
    };
    println!("Part 20 — Wheels within wheels: Erlang");
    servers.describe();
    println!("  and nothing listens on {}", Address::from(closed));
    let sockets = servers.sockets();
    let (first, last) = (sockets[0], sockets[sockets.len() - 1]);
    let runtime = Runtime::new(&reactor);
    // (chunk lines hidden: each worker prints one per read, as the programs do)
    let scenes = [
        (
            "1. One process per server; each sends its poem to the main process,\n   whose monitors tell it when each one goes down:",
            sockets.clone(),
            ClientOptions::default(),
        ),
        (
            "2. Task 2's port is closed and task 3 panics after its first chunk:\n   both are down messages, like any other end.",
            vec![first, closed, last],
            ClientOptions {
                crashes: vec![3],
                ..ClientOptions::default()
            },
        ),
        (
            "3. The same under a supervisor (2 restarts, 0.5s apart): task 3\n   crashes once and its second run succeeds; task 2 is given up on.",
            vec![first, closed, last],
            ClientOptions {
                restarts: Restarts {
                    max: 2,
                    delay: Duration::from_millis(500),
                },
                crashes: vec![3],
                ..ClientOptions::default()
            },
        ),
    ];
    for (title, addrs, options) in scenes {
        println!();
        println!("{title}");
        let options = ClientOptions {
            print_poems: false,
            ..options
        };
        let poems = match runtime.block_on(collect_poems(
            runtime.clone(),
            tasks(&addrs),
            options,
            demo_printer(),
        )) {
            Ok(poems) => poems,
            Err(failure) => return cli::fail(format_args!("the main process failed: {failure}")),
        };
        for (task, (poem, addr)) in poems.iter().zip(&addrs).enumerate() {
            let served = sockets.iter().position(|served| served == addr);
            if let (Some(poem), Some(server)) = (poem, served)
                && let Err(problem) = servers.check("erlang", server + 1, poem)
            {
                return cli::fail(format_args!("task {}: {problem}", task + 1));
            }
        }
        let got = poems.iter().flatten().count();
        println!("   every worker is down: {got} of {} poems", poems.len());
    }
    println!();
    println!("What to notice:");
    println!("  - Nobody calls the workers back: each one loops on its own reads, and");
    println!("    the runtime's loop, which still does all the waiting, is out of sight.");
    println!("  - The main process learns everything from its mailbox: poems from the");
    println!("    workers, down messages from the monitors, in the order they happened.");
    println!("  - A panic is caught at the task's edge and becomes a down message; the");
    println!("    supervisor decides whether to start the worker again.");
    ExitCode::SUCCESS
}

/// One task per address, numbered from 1, with the default timeouts.
fn tasks(addrs: &[SocketAddr]) -> Vec<Task> {
    let addresses: Vec<Address> = addrs.iter().copied().map(Address::from).collect();
    Task::numbered(&addresses, addrs, &demo_printer())
}

/// The demo's lines: indented, all on standard output (so they keep their
/// order in a transcript), without the chunk lines.
fn demo_printer() -> Printer {
    Printer::new(|_, line| {
        if !line.contains(" bytes of poetry from ") {
            println!("     {line}");
        }
    })
}
