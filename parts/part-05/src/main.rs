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
use part_02::{Address, ServerOptions, SlowServer, cli, demo_poems, report};
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
    /// How many slow servers to start (each serves one poem).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=8))]
    servers: u8,
    /// Bytes each server sends at a time.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(1..))]
    num_bytes: u16,
    /// Milliseconds each server waits between chunks.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=2000))]
    delay_ms: u64,
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
    let options = ServerOptions {
        num_bytes: usize::from(args.num_bytes),
        delay: Duration::from_millis(args.delay_ms),
    };
    let chosen = demo_poems(if args.stack {
        1
    } else {
        usize::from(args.servers)
    });
    let mut servers = Vec::new();
    for (_, poem) in &chosen {
        match SlowServer::spawn(*poem, options) {
            Ok(server) => servers.push(server),
            Err(error) => {
                return cli::fail(format_args!("cannot start a slow poetry server: {error}"));
            }
        }
    }
    let sockets: Vec<SocketAddr> = servers.iter().map(SlowServer::addr).collect();
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();

    if args.stack {
        println!("Part 5 — Twistier poetry: the layers, seen from inside");
        println!();
        println!(
            "Started a slow poetry server in this process, sending {} bytes every {}.",
            options.num_bytes,
            format_secs(options.delay)
        );
        println!("A protocol prints the stack from inside data_received:");
        println!();
        return show_the_stack(sockets[0]);
    }

    println!("Part 5 — Twistier poetry");
    println!();
    println!(
        "Started {} slow poetry servers in this process, each sending {} bytes every {}:",
        servers.len(),
        options.num_bytes,
        format_secs(options.delay)
    );
    for ((address, (name, poem)), task) in addresses.iter().zip(&chosen).zip(1..) {
        println!(
            "  task {task}: {address}  {name:<12} {:>4} bytes",
            poem.len()
        );
    }

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
        match tokio_client::get_poetry(&sockets, printer) {
            Ok(outcomes) => finish(outcomes, start.elapsed(), lines.get()),
            Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
        }
    };

    println!();
    println!("3. Side by side.");
    println!();
    for (run, name) in [(&ours, "our reactor"), (&theirs, "tokio")] {
        for (task, outcome) in run.outcomes.iter().enumerate() {
            match outcome {
                Ok(poem) if poem == chosen[task].1 => {}
                Ok(_) => {
                    return cli::fail(format_args!(
                        "the client on {name} garbled task {}'s poem",
                        task + 1
                    ));
                }
                Err(error) => {
                    return cli::fail(format_args!("the client on {name} failed: {error}"));
                }
            }
        }
    }
    println!(
        "Both clients got the same {} poems, byte for byte, as their servers sent them.",
        chosen.len()
    );
    println!("Client 2.0 on our reactor: {}", format_secs(ours.took));
    println!("Client 2.0 on tokio:       {}", format_secs(theirs.took));
    println!(
        "Both took about as long as the slowest download ({}), not the sum of them.",
        format_secs(slowest(&chosen, options))
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

/// How long the longest poem takes to send at this pace.
fn slowest(poems: &[(&str, &[u8])], options: ServerOptions) -> Duration {
    let chunks = poems
        .iter()
        .map(|(_, poem)| poem.len().div_ceil(options.num_bytes.max(1)))
        .max()
        .unwrap_or(1);
    options.delay * (chunks.saturating_sub(1) as u32)
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
