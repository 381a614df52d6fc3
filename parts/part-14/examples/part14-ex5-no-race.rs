//! Exercise 5 of part 14: can a deferred fire while we add its callbacks?
//!
//! `get_poetry` returns a deferred that has not fired. Here a server on
//! another thread sends the whole poem and hangs up at once, and `main`
//! sleeps between adding the callback and adding the errback, so the poem
//! is sitting in the socket's buffer long before the chain is complete.
//! Still nothing fires: only the reactor reads the socket and fires the
//! deferred, and the reactor is not running while `main` adds callbacks.
//! It fires once `run` is called, with the whole chain in place.
//!
//! ```text
//! cargo run -p part-14 --example part14-ex5-no-race
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::thread;
use std::time::Duration;

use clap::Parser;
use part_02::{Address, ServerOptions, SlowServer, cli};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::Failure;
use part_08::get_poetry;

/// Shows that a deferred cannot fire between two lines of the code that
/// adds its callbacks.
#[derive(Debug, Parser)]
#[command(name = "part14-ex5-no-race")]
struct Args {
    /// Milliseconds to sleep between adding the callback and the errback.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pause_ms: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // The whole poem in one chunk, at once.
    let at_once = ServerOptions {
        num_bytes: usize::MAX,
        delay: Duration::ZERO,
    };
    let server = match SlowServer::spawn(&b"A poem that is already here.\n"[..], at_once) {
        Ok(server) => server,
        Err(error) => return cli::fail(format_args!("cannot start a server: {error}")),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let addr = server.addr();
    let quiet = Printer::new(|_, _| {});
    let task = Task::numbered(&[Address::from(addr)], &[addr], &quiet).remove(0);
    // ANCHOR: no_race
    let fired = Rc::new(Cell::new(false));
    let d = get_poetry(&reactor, &task);
    println!("get_poetry has returned its deferred.");
    let seen = Rc::clone(&fired);
    let d = d.add_callback(move |poem: Vec<u8>| {
        seen.set(true);
        println!("callback: got {} bytes", poem.len());
        Ok::<_, Failure>(())
    });
    println!("Callback added. Sleeping while the poem arrives...");
    thread::sleep(Duration::from_millis(args.pause_ms));
    println!("Awake. Has the deferred fired? {}", fired.get());
    let done = reactor.clone();
    let _d = d
        .add_errback(|failure: Failure| println!("errback: {failure}"))
        .add_both(move |_: Result<(), Failure>| Ok::<_, Failure>(done.stop()?));
    println!("Errback added. Has the deferred fired? {}", fired.get());
    println!("Running the reactor.");
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    println!(
        "The reactor has stopped. Has the deferred fired? {}",
        fired.get()
    );
    // ANCHOR_END: no_race
    ExitCode::SUCCESS
}
