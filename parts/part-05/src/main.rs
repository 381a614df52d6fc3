//! The guided demo of part 5: `cargo run -p part-05`.
//!
//! Starts a few slow poetry servers inside this process and downloads one
//! poem from each, first with client 2.0 (protocols and a factory on our
//! reactor), then with the same client on tokio. Shows that both got the
//! same poems in about the same time, then prints the stack from inside a
//! protocol's `data_received` to show the layers a byte of poetry passes
//! through.

use std::cell::Cell;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_01::timeline::format_secs;
use part_02::cli::Timeouts;
use part_02::demo::{DemoArgs, DemoServers};
use part_02::downloads::Downloads;
use part_02::{Address, cli, report};
use part_03::Reactor;
use part_05::client::{self, Event, Outcome};
use part_05::stack::ShowStackFactory;
use part_05::{connect_tcp, tokio_client};

/// Part 5 — Twistier poetry: client 2.0 (transports, protocols and a
/// protocol factory on our reactor) beside the same client on tokio, on
/// slow poetry servers started in this process.
#[derive(Debug, Parser)]
#[command(name = "part-05", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
    /// Only show the stack from inside a protocol's `data_received`.
    #[arg(long)]
    stack: bool,
}

/// How many of a client's chunk lines the demo shows.
const SHOWN_LINES: usize = 6;

/// One client's run: its outcomes and how long it took.
struct Run {
    outcomes: Vec<Outcome>,
    took: Duration,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let count = if args.stack {
        1
    } else {
        usize::from(args.demo.servers)
    };
    let servers = match DemoServers::start(count, args.demo.options()) {
        Ok(servers) => servers,
        Err(error) => return cli::fail(format_args!("cannot start a slow poetry server: {error}")),
    };
    let (sockets, addresses) = (servers.sockets(), servers.addresses());

    if args.stack {
        println!("Part 5 — Twistier poetry: the layers, seen from inside");
        println!();
        servers.describe();
        println!("A protocol prints the stack from inside data_received:");
        println!();
        return show_the_stack(sockets[0]);
    }

    println!("Part 5 — Twistier poetry");
    println!();
    servers.describe();

    println!();
    println!("1. Client 2.0 on our reactor: connect_tcp to every server, one");
    println!("   PoetryClientFactory, and a PoetryProtocol for each connection.");
    println!("   Its first {SHOWN_LINES} lines:");
    println!();
    let ours = {
        let reactor = match Reactor::new() {
            Ok(reactor) => reactor,
            Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
        };
        let (printer, lines) = printer(addresses.clone());
        let start = Instant::now();
        match client::get_poetry(&reactor, &sockets, printer) {
            Ok(outcomes) => finish(outcomes, start.elapsed(), lines.get()),
            Err(error) => return cli::fail(format_args!("the reactor failed: {error}")),
        }
    };

    println!();
    println!("2. The same client on tokio: one task per server, each reading its");
    println!("   TcpStream until the server closes it. Its first {SHOWN_LINES} lines:");
    println!();
    let theirs = {
        let (printer, lines) = printer(addresses.clone());
        let start = Instant::now();
        match tokio_client::get_poetry(&sockets, Timeouts::default(), printer) {
            Ok(outcomes) => finish(outcomes, start.elapsed(), lines.get()),
            Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
        }
    };

    println!();
    println!("3. Side by side.");
    println!();
    for (run, name) in [(&ours, "our reactor"), (&theirs, "tokio")] {
        for (task, outcome) in run.outcomes.iter().enumerate() {
            let checked = match outcome {
                Ok(poem) => servers.check(name, task + 1, poem),
                Err(error) => Err(format!("the client on {name} failed: {error}")),
            };
            if let Err(problem) = checked {
                return cli::fail(problem);
            }
        }
    }
    println!(
        "Both clients got the same {} poems, byte for byte, as their servers sent them.",
        servers.len()
    );
    println!("Client 2.0 on our reactor: {}", format_secs(ours.took));
    println!("Client 2.0 on tokio:       {}", format_secs(theirs.took));
    println!(
        "Both took about as long as the slowest download ({}), not the sum of them.",
        format_secs(slowest(&servers))
    );

    println!();
    println!("4. The layers. A protocol that prints the stack from inside data_received:");
    println!();
    if show_the_stack(sockets[0]) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }

    println!();
    println!("What to notice:");
    println!("- The transport knows sockets: it reads until the socket would block, keeps");
    println!("  what cannot be written yet, and closes. It knows nothing of poetry.");
    println!("- The protocol knows poetry: bytes in (data_received), the end");
    println!("  (connection_lost). It never sees a socket, so it could run over anything.");
    println!("- The factory knows the program: it makes a protocol per connection, counts");
    println!("  finished poems and failures, and stops the reactor after the last.");
    println!("- tokio splits the work the same way: its TcpStream is the transport and the");
    println!("  registration with its reactor; our protocol's code becomes a task that");
    println!("  awaits read() in a loop, and the factory's job is the code around the tasks.");
    ExitCode::SUCCESS
}

/// A reporter that prints a client's first lines and counts the rest.
fn printer(addresses: Vec<Address>) -> (impl FnMut(Event<'_>) + 'static, Rc<Cell<usize>>) {
    let lines = Rc::new(Cell::new(0));
    let counted = Rc::clone(&lines);
    let printer = move |event: Event<'_>| {
        counted.set(counted.get() + 1);
        if counted.get() <= SHOWN_LINES {
            client::print_event(&addresses, event);
        }
    };
    (printer, lines)
}

/// Prints how many lines were not shown, then the client's closing lines.
fn finish(outcomes: Vec<Outcome>, took: Duration, lines: usize) -> Run {
    println!(
        "… and {} more lines like these, then:",
        lines.saturating_sub(SHOWN_LINES)
    );
    let mut got = 0;
    for (task, outcome) in outcomes.iter().enumerate() {
        if let Ok(poem) = outcome {
            println!("{}", report::poem_size(task + 1, poem.len()));
            got += 1;
        }
    }
    println!("{}", report::total(got, took));
    Run { outcomes, took }
}

/// How long the longest poem takes to send at the servers' pace.
fn slowest(servers: &DemoServers) -> Duration {
    let sizes: Vec<usize> = servers.poems().iter().map(|(_, poem)| poem.len()).collect();
    Downloads::ideal_async(&sizes, servers.options()).total
}

/// Connects to one server with a protocol that prints the stack on its
/// first bytes.
fn show_the_stack(addr: SocketAddr) -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let factory = ShowStackFactory::new(&reactor, 1);
    connect_tcp(&reactor, addr, factory.clone());
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    if !factory.shown() {
        return cli::fail("no poetry arrived, so there was no stack to show");
    }
    println!();
    println!("Read it from the top: main started the reactor; the reactor's loop found");
    println!("the socket readable and called the connection's do_read; do_read read the");
    println!("bytes and handed them to the protocol. The protocol never called anything:");
    println!("it was called, through every layer below it.");
    ExitCode::SUCCESS
}
