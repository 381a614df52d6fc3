//! Part 4, exercise 3: how fast is the poetry coming?
//!
//! Beside client 1.0's sockets, a timed call that reschedules itself looks
//! at every socket still open, once per interval, and prints how many bytes
//! per second it received since the last look. The reactor runs the timer
//! between reads, on the same thread, so no lock is needed to look at the
//! sockets: nobody else can be touching them.
//!
//! `cargo run -p part-04 --example part04-ex3-rate -- --every 1 10000 10001`

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::cli::Timeouts;
use part_02::{ClientArgs, cli, report};
use part_03::{DelayedCall, Reactor, ReactorError};
use part_04::{Printer, Shared, SocketMode, Task, connect_all, servers};

/// Downloads poetry from all the servers at once, on our reactor, and
/// reports each download's rate at regular intervals.
#[derive(Debug, Parser)]
#[command(name = "part04-ex3-rate", version)]
struct Args {
    /// Seconds between two rate reports.
    #[arg(long, default_value = "1", value_parser = parse_interval)]
    every: Duration,
    #[command(flatten)]
    client: ClientArgs,
}

/// Parses a number of seconds that must not be zero.
fn parse_interval(text: &str) -> Result<Duration, String> {
    match cli::parse_seconds(text)? {
        Duration::ZERO => Err("must be more than 0 seconds".to_string()),
        every => Ok(every),
    }
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
    let printer = Printer::stdio();
    let tasks = match get_poetry_with_rates(&reactor, &servers, args.every, &printer) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let mut got = 0;
    for socket in tasks.iter().flatten() {
        let socket = socket.borrow();
        if socket.is_finished() {
            println!("{}", report::poem_size(socket.task(), socket.poem().len()));
            got += 1;
        }
    }
    println!("{}", report::total(got, start.elapsed()));
    cli::client_exit(tasks.len() - got, tasks.len())
}

// ANCHOR: solution
/// Client 1.0's `get_poetry`, printing a `Task N: R bytes/s` line for every
/// open socket each `every`.
pub fn get_poetry_with_rates(
    reactor: &Reactor,
    servers: &[(part_02::Address, std::net::SocketAddr)],
    every: Duration,
    printer: &Printer,
) -> Result<Vec<Task>, ReactorError> {
    let tasks = connect_all(
        reactor,
        servers,
        SocketMode::NonBlocking,
        &Timeouts::default(),
        printer,
    )?;
    let open: Vec<Shared> = tasks.iter().flatten().cloned().collect();
    if open.is_empty() {
        return Ok(tasks);
    }
    let next = Rc::new(RefCell::new(None));
    let seen = vec![0; open.len()];
    watch(
        reactor,
        every,
        open,
        seen,
        printer.clone(),
        Rc::clone(&next),
    );
    reactor.run()?;
    // The next report is still scheduled: cancel it, which also frees the
    // reactor handle its closure holds.
    if let Some(call) = next.borrow_mut().take() {
        let _ = call.cancel();
    }
    Ok(tasks)
}

/// Schedules the next report, `every` from now. `seen` is how many bytes
/// each socket had at the last report.
fn watch(
    reactor: &Reactor,
    every: Duration,
    sockets: Vec<Shared>,
    mut seen: Vec<usize>,
    printer: Printer,
    next: Rc<RefCell<Option<DelayedCall>>>,
) {
    let handle = reactor.clone();
    let slot = Rc::clone(&next);
    let call = reactor.call_later(every, move || {
        for (socket, seen) in sockets.iter().zip(&mut seen) {
            let socket = socket.borrow();
            if !socket.is_open() {
                continue;
            }
            let now = socket.poem().len();
            let rate = (now - *seen) as f64 / every.as_secs_f64();
            printer.out(&format!("Task {}: {rate:.0} bytes/s", socket.task()));
            *seen = now;
        }
        watch(&handle, every, sockets, seen, printer, slot);
    });
    *next.borrow_mut() = Some(call);
}
// ANCHOR_END: solution
