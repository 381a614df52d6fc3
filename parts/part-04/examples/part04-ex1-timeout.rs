//! Part 4, exercise 1: client 1.0 with a time limit.
//!
//! A timed call, scheduled before the reactor runs, gives up on every poetry
//! socket still open when the time is up: it stops watching it, tells it the
//! connection is lost, and the last one stops the reactor, exactly as if the
//! servers had hung up. Poems that arrived in time are kept.
//!
//! `cargo run -p part-04 --example part04-ex1-timeout -- --timeout 5 10000 10001`

use std::io;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::cli::Timeouts;
use part_02::{Address, ClientArgs, cli, format_duration, report};
use part_03::{Disconnect, Reactor, ReactorError};
use part_04::{LOG_PREFIX, Printer, SocketMode, Task, connect_all, servers};

/// Downloads poetry from all the servers at once, on our reactor, giving up
/// on any server that has not sent its whole poem within the time limit.
#[derive(Debug, Parser)]
#[command(name = "part04-ex1-timeout", version)]
struct Args {
    /// Seconds to wait for all the poems, at most.
    #[arg(long, default_value = "10", value_parser = cli::parse_seconds)]
    timeout: Duration,
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sockets = match args.client.resolve() {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let start = Instant::now();
    let servers = servers(&args.client.addresses, &sockets);
    let tasks = match get_poetry_within(&reactor, &servers, args.timeout, &Printer::stdio()) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let elapsed = start.elapsed();
    let mut got = 0;
    for socket in tasks.iter().flatten() {
        let socket = socket.borrow();
        if socket.is_finished() {
            println!("{}", report::poem_size(socket.task(), socket.poem().len()));
            got += 1;
        }
    }
    println!("{}", report::total(got, elapsed));
    cli::client_exit(tasks.len() - got, tasks.len())
}

// ANCHOR: solution
/// Client 1.0's `get_poetry`, with a deadline `timeout` after the start.
pub fn get_poetry_within(
    reactor: &Reactor,
    servers: &[(Address, std::net::SocketAddr)],
    timeout: Duration,
    printer: &Printer,
) -> Result<Vec<Task>, ReactorError> {
    let tasks = connect_all(
        reactor,
        servers,
        SocketMode::NonBlocking,
        &Timeouts::default(),
        printer,
    )?;
    if tasks.iter().all(Result::is_err) {
        return Ok(tasks);
    }
    let handle = reactor.clone();
    let deadline = reactor.call_later(timeout, move || give_up(&handle, timeout));
    reactor.run()?;
    // Finished in time: the deadline is still pending. Cancelling it also
    // drops the reactor handle its closure holds.
    if deadline.active() {
        let _ = deadline.cancel();
    }
    Ok(tasks)
}

/// Hangs up on every poetry socket the reactor still watches, doing for
/// each what the reactor does when a connection ends: stop watching it,
/// then call its `connection_lost`. The last one stops the reactor.
fn give_up(reactor: &Reactor, timeout: Duration) {
    for reader in reactor.readers() {
        if reader.borrow().log_prefix() != LOG_PREFIX {
            continue;
        }
        let fd = reader.borrow().fileno();
        let _ = reactor.remove_reader(fd);
        let why = io::Error::other(format!("timed out after {}", format_duration(timeout)));
        reader
            .borrow_mut()
            .connection_lost(reactor, Disconnect::Lost(why));
    }
}
// ANCHOR_END: solution
