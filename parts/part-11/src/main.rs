//! The guided demo of part 11: `cargo run -p part-11`.
//!
//! First a fast poetry server on our reactor, inside this process, fetched
//! by client 2.0 running on the *same* reactor and by a plain blocking
//! socket on another thread. Then the slow servers: part 2's blocking
//! `slowpoetry` and this part's `slowpoetry-async`, each with several
//! clients connecting at once. The blocking one serves them in turn, the
//! asynchronous one all together; the totals and a timeline show it.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use clap::Parser;
use part_01::timeline::format_secs;
use part_02::downloads::Downloads;
use part_02::{ServerOptions, SlowServer, cli, demo_poems, report};
use part_03::Reactor;
use part_05::client::{self, Event};
use part_11::{AsyncSlowServer, FastPoetryFactory, listen_tcp};

/// Part 11 — Your poetry is served: a fast poetry server on our reactor,
/// then part 2's blocking slow server against the asynchronous one, each
/// with several clients at once.
#[derive(Debug, Parser)]
#[command(name = "part-11", version)]
struct Args {
    /// How many clients connect to each slow server at once.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=8))]
    clients: u8,
    /// Bytes the slow servers send at a time.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(1..))]
    num_bytes: u16,
    /// Milliseconds the slow servers wait between chunks.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1000))]
    delay_ms: u64,
}

/// Columns of the time axis in the drawn timelines.
const WIDTH: usize = 56;

fn main() -> ExitCode {
    let args = Args::parse();
    let (name, poem) = demo_poems(1)[0];

    println!("Part 11 — Your poetry is served");
    println!();
    if let Err(problem) = fast_server(name, poem) {
        return cli::fail(problem);
    }

    let options = ServerOptions {
        num_bytes: usize::from(args.num_bytes),
        delay: Duration::from_millis(args.delay_ms),
    };
    let clients = usize::from(args.clients);
    println!();
    println!(
        "2. Two slow servers, each serving {name} ({} bytes), {} bytes every {}.",
        poem.len(),
        options.num_bytes,
        format_secs(options.delay)
    );
    println!("   {clients} clients (client 2.0) connect to each at the same moment.");
    let blocking = match SlowServer::spawn(poem, options) {
        Ok(server) => server,
        Err(error) => return cli::fail(format_args!("cannot start slowpoetry: {error}")),
    };
    println!();
    println!("   Part 2's blocking slowpoetry, on {}:", blocking.addr());
    let blocking_run = match fetch_all(blocking.addr(), clients, poem) {
        Ok(run) => run,
        Err(problem) => return cli::fail(problem),
    };
    drop(blocking);

    let concurrent = match AsyncSlowServer::spawn(poem, options) {
        Ok(server) => server,
        Err(error) => return cli::fail(format_args!("cannot start slowpoetry-async: {error}")),
    };
    println!();
    println!("   This part's slowpoetry-async, on {}:", concurrent.addr());
    let async_run = match fetch_all(concurrent.addr(), clients, poem) {
        Ok(run) => run,
        Err(problem) => return cli::fail(problem),
    };
    drop(concurrent);

    let labels: Vec<String> = (1..=clients).map(|i| format!("client {i}")).collect();
    let scale = blocking_run.total.max(async_run.total);
    println!();
    println!("Which client was receiving when (█ a chunk arrives, ░ connected, waiting):");
    println!();
    print!(
        "{}",
        blocking_run
            .timeline("Blocking slowpoetry", &labels)
            .render_scaled(WIDTH, scale)
    );
    println!();
    print!(
        "{}",
        async_run
            .timeline("slowpoetry-async", &labels)
            .render_scaled(WIDTH, scale)
    );
    println!();
    println!("Blocking slowpoetry: {}", format_secs(blocking_run.total));
    println!("slowpoetry-async:    {}", format_secs(async_run.total));
    let one = Downloads::ideal_async(&[poem.len()], options).total;
    println!(
        "One poem takes {} at this pace: the blocking server needed about {clients} of them,",
        format_secs(one)
    );
    println!("the asynchronous one about 1.");

    println!();
    println!("What to notice:");
    println!("- A server on the reactor is readers all the way down: the listening socket");
    println!("  is a reader whose do_read accepts, and each accepted socket is a part-5");
    println!("  connection with a protocol of its own, built by the server factory.");
    println!("- In step 1 the server and client 2.0 shared one reactor on one thread, and");
    println!("  neither noticed: neither ever waits, so each leaves the loop to the other.");
    println!("- The blocking slowpoetry sleeps between chunks, so the clients queued behind");
    println!("  the first one waited, connected but unserved, for their turn.");
    println!("- slowpoetry-async sets a timer instead of sleeping: between chunks a client");
    println!("  costs a timer in a queue, so every client is served at once.");
    println!("- On the wire the two are the same: the same bytes in the same chunks at the");
    println!("  same pace. Only the waiting changed.");
    ExitCode::SUCCESS
}

/// Step 1: a fast poetry server on a reactor, fetched by client 2.0 on the
/// same reactor, then by a blocking socket on another thread.
fn fast_server(name: &str, poem: &'static [u8]) -> Result<(), String> {
    let reactor = Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))?;
    let factory = FastPoetryFactory::new(poem, part_11::report::quiet);
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone())
        .map_err(|e| format!("cannot start the fast poetry server: {e}"))?;
    let addr = port.local_addr();
    println!("1. A fast poetry server on our reactor: listen_tcp with a FastPoetryFactory,");
    println!("   serving {name} ({} bytes) on {addr}.", poem.len());
    println!("   Each client gets the whole poem at once, then the connection closes.");
    println!();
    println!("   Client 2.0 from part 5, on the same reactor as the server:");
    let start = Instant::now();
    let outcomes = client::get_poetry(&reactor, &[addr], |_| {})
        .map_err(|e| format!("the reactor failed: {e}"))?;
    let took = start.elapsed();
    for (task, outcome) in outcomes.iter().enumerate() {
        match outcome {
            Ok(got) if got == poem => println!("   {}", report::poem_size(task + 1, got.len())),
            Ok(_) => return Err("client 2.0 got a garbled poem".to_string()),
            Err(error) => return Err(format!("client 2.0 failed: {error}")),
        }
    }
    println!("   {}", report::total(outcomes.len(), took));

    println!();
    println!("   A plain blocking std::net socket, on another thread, while the reactor runs:");
    let plain = std::thread::spawn(move || read_to_close(addr));
    let got = run_until_finished(&reactor, plain)?
        .join()
        .map_err(|_| "the plain client panicked".to_string())?
        .map_err(|e| format!("the plain client failed: {e}"))?;
    if got != poem {
        return Err("the plain client got a garbled poem".to_string());
    }
    println!(
        "   read {} bytes, then the server closed the connection.",
        got.len()
    );
    port.stop_listening();
    println!();
    println!(
        "   Both copies match the poem byte for byte. The port accepted {} connections,",
        port.accepted()
    );
    println!(
        "   the factory built a protocol for each, and {} poems were served.",
        factory.poems_served()
    );
    Ok(())
}

/// What a plain client does: connect, read until the server closes.
fn read_to_close(addr: SocketAddr) -> std::io::Result<Vec<u8>> {
    let mut socket = TcpStream::connect(addr)?;
    socket.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut poem = Vec::new();
    socket.read_to_end(&mut poem)?;
    Ok(poem)
}

/// Runs the reactor until `thread` has finished (looking every 5 ms),
/// and gives the thread's handle back.
fn run_until_finished<T: 'static>(
    reactor: &Reactor,
    thread: JoinHandle<T>,
) -> Result<JoinHandle<T>, String> {
    fn watch<T: 'static>(reactor: Reactor, thread: Rc<JoinHandle<T>>) {
        if thread.is_finished() {
            let _ = reactor.stop();
        } else {
            let again = reactor.clone();
            reactor.call_later(Duration::from_millis(5), move || watch(again, thread));
        }
    }
    let thread = Rc::new(thread);
    watch(reactor.clone(), Rc::clone(&thread));
    reactor
        .run()
        .map_err(|e| format!("the reactor failed: {e}"))?;
    Rc::try_unwrap(thread).map_err(|_| "the watch on the plain client outlived it".to_string())
}

/// One slow server's run: when each client's chunks came, and the total.
struct Run {
    downloads: Downloads,
    total: Duration,
}

impl Run {
    fn timeline(&self, title: &str, labels: &[String]) -> part_01::timeline::Timeline {
        self.downloads.timeline(title, labels)
    }
}

/// `clients` downloads from one server, all started at once with client
/// 2.0; prints when each client got its first and last chunk.
fn fetch_all(addr: SocketAddr, clients: usize, poem: &[u8]) -> Result<Run, String> {
    let reactor = Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))?;
    let recorded = Rc::new(std::cell::RefCell::new(Downloads::new(clients)));
    let start = Instant::now();
    let record = Rc::clone(&recorded);
    let outcomes = client::get_poetry(&reactor, &vec![addr; clients], move |event| {
        let now = start.elapsed();
        let mut downloads = record.borrow_mut();
        match event {
            Event::Received { task, .. } => downloads.chunks[task - 1].push(now),
            Event::Finished { task } | Event::Failed { task, .. } => downloads.ends[task - 1] = now,
        }
    })
    .map_err(|e| format!("the reactor failed: {e}"))?;
    let total = start.elapsed();
    let mut downloads = recorded.borrow().clone();
    downloads.total = total;
    for (task, outcome) in outcomes.iter().enumerate() {
        match outcome {
            Ok(got) if got == poem => {}
            Ok(_) => return Err(format!("client {} got a garbled poem", task + 1)),
            Err(error) => return Err(format!("client {} failed: {error}", task + 1)),
        }
        let first = downloads.chunks[task].first().copied().unwrap_or_default();
        println!(
            "   client {}: {} bytes, first chunk after {}, the whole poem after {}",
            task + 1,
            poem.len(),
            format_secs(first),
            format_secs(downloads.ends[task])
        );
    }
    println!("   all {clients} clients served in {}", format_secs(total));
    Ok(Run { downloads, total })
}
