//! The guided demo of part 16: a service tree starts in order, serves,
//! and on a stop request closes its port, lets the downloads in flight
//! finish, and stops in reverse order; then the reactor returns.
//!
//! ```text
//! cargo run -p part-16
//! ```

use std::io::Read;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::ServerOptions;
use part_02::cli::fail;
use part_03::Reactor;
use part_16::logging::{self, LogTarget};
use part_16::poetry::slowpoetry_service;
use part_16::{Application, StartError};

/// Runs a slow poetry service tree in this process, downloads from it,
/// asks it to stop while the downloads are in flight, and shows what the
/// stop waits for.
#[derive(Debug, Parser)]
#[command(name = "part-16", version)]
struct Args {
    /// The poem to serve.
    #[arg(long, default_value = "poetry/science.txt")]
    poem: PathBuf,
    /// How many clients download at once.
    #[arg(long, default_value_t = 3)]
    clients: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match demo(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

fn demo(args: Args) -> Result<(), StartError> {
    println!("A service tree: the application, the slow poetry service (the poem, then the port).");
    println!("Log lines (time, level, message) come from tracing; the demo's own lines do not.");
    println!();
    let _log = logging::install(LogTarget::Stdout);

    // ANCHOR: tree
    let reactor = Reactor::new()?;
    let pacing = ServerOptions {
        num_bytes: 100,
        delay: Duration::from_millis(50),
    };
    let wait_for_clients = Duration::from_secs(5);
    let tree = slowpoetry_service(
        &reactor,
        &args.poem,
        ("127.0.0.1", 0),
        pacing,
        wait_for_clients,
    )?;
    let application = Application::new("demo");
    application.add(tree.top)?;
    // Nothing has happened yet. Now: start, and stop on shutdown.
    application.start()?;
    application.stop_on_shutdown(&reactor);
    // ANCHOR_END: tree

    let port = tree
        .tcp
        .local_addr()
        .ok_or("the port is not listening")?
        .port();
    logging::flush(); // the log's lines first: they share the terminal
    println!();
    println!(
        "{} clients start downloading; the stop comes 100 ms later,",
        args.clients
    );
    println!("as a SIGTERM would, while each has most of its poem still to come.");
    println!();
    // Connected now (the kernel queues them until the reactor accepts),
    // read on threads of their own.
    let clients: Vec<_> = (0..args.clients)
        .map(|_| TcpStream::connect(("127.0.0.1", port)))
        .collect::<Result<_, _>>()?;
    let clients: Vec<_> = clients
        .into_iter()
        .map(|socket| std::thread::spawn(move || download(socket)))
        .collect();
    let stopper = reactor.clone();
    reactor.call_later(Duration::from_millis(100), move || stopper.stop());
    reactor.run()?;
    logging::flush();
    println!();
    println!("The reactor has returned. What the clients got:");
    let poem_size = std::fs::metadata(&args.poem)?.len() as usize;
    for (n, client) in clients.into_iter().enumerate() {
        let got = client.join().map_err(|_| "a client thread panicked")??;
        let whole = if got == poem_size {
            "the whole poem"
        } else {
            "CUT SHORT"
        };
        println!("  client {}: {got} bytes ({whole})", n + 1);
    }
    println!();
    println!("What to notice:");
    println!("- the tree started in order (poem, then port) and stopped in reverse;");
    println!("- the stop closed the port first, then waited for the clients in flight;");
    println!("- only when the pool of downloads was empty did the tcp service, and then");
    println!("  the poem service, report themselves stopped, and the reactor return.");
    Ok(())
}

/// Reads a poem from a plain blocking socket; returns its size.
fn download(mut socket: TcpStream) -> std::io::Result<usize> {
    let mut poem = Vec::new();
    socket.read_to_end(&mut poem)?;
    Ok(poem.len())
}
