//! The guided demo of part 2: `cargo run -p part-02`.
//!
//! Starts a few slow poetry servers inside this process, downloads one poem
//! from each with the blocking client's code and then with the asynchronous
//! client's code, and shows the two side by side: their output, a timeline of
//! which server was sending when, and the two total times.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use part_01::timeline::format_secs;
use part_02::async_client::{self, Event};
use part_02::cli::Timeouts;
use part_02::demo::DemoArgs;
use part_02::downloads::Downloads;
use part_02::{Address, FetchError, blocking, cli, report};

/// Part 2 — Slow poetry and the apocalypse: the blocking client against the
/// asynchronous one, on slow poetry servers started in this process.
#[derive(Debug, Parser)]
#[command(name = "part-02", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
}

/// How many lines of the async client's chunk-by-chunk output the demo shows.
const SHOWN_CHUNK_LINES: usize = 9;
/// Columns of the time axis in the drawn timelines.
const WIDTH: usize = 56;

/// What one client's run produced: each task's poem or error, and when
/// things happened.
struct Run {
    results: Vec<Result<Vec<u8>, FetchError>>,
    downloads: Downloads,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let servers = match args.demo.start() {
        Ok(servers) => servers,
        Err(error) => return cli::fail(format_args!("cannot start a slow poetry server: {error}")),
    };
    let (sockets, addresses, labels) = (servers.sockets(), servers.addresses(), servers.labels());

    println!("Part 2 — Slow poetry and the apocalypse");
    println!();
    servers.describe();

    println!();
    println!("1. The blocking client: one server after another.");
    println!();
    let blocking_run = run_blocking(&sockets, &addresses);

    println!();
    println!("2. The asynchronous client: every server at once, on one thread.");
    println!("   Its first {SHOWN_CHUNK_LINES} lines (one per chunk, as each arrives):");
    println!();
    let async_run = match run_async(&sockets, &addresses) {
        Ok(run) => run,
        Err(error) => return cli::fail(format_args!("the readiness loop failed: {error}")),
    };

    for (run, name) in [(&blocking_run, "blocking"), (&async_run, "asynchronous")] {
        for (task, result) in run.results.iter().enumerate() {
            let checked = match result {
                Ok(poem) => servers.check(name, task + 1, poem),
                Err(error) => Err(format!("the {name} client failed: {error}")),
            };
            if let Err(problem) = checked {
                return cli::fail(problem);
            }
        }
    }

    let scale = blocking_run.downloads.total.max(async_run.downloads.total);
    println!();
    println!("Which server was sending when (█ chunks arriving, ░ connection open, waiting):");
    println!();
    print!(
        "{}",
        blocking_run
            .downloads
            .timeline("Blocking client", &labels)
            .render_scaled(WIDTH, scale)
    );
    println!();
    print!(
        "{}",
        async_run
            .downloads
            .timeline("Asynchronous client", &labels)
            .render_scaled(WIDTH, scale)
    );

    let (b, a) = (blocking_run.downloads.total, async_run.downloads.total);
    println!();
    println!("Blocking client:     {}", format_secs(b));
    println!("Asynchronous client: {}", format_secs(a));
    println!(
        "With {} {}, the asynchronous client took {:.2} of the blocking client's time.",
        servers.len(),
        if servers.len() == 1 {
            "server"
        } else {
            "servers"
        },
        a.as_secs_f64() / b.as_secs_f64(),
    );
    println!();
    println!("What to notice:");
    println!("- Both clients got every poem, byte for byte: the work was the same.");
    println!("- The blocking client took about the sum of all the downloads: while it");
    println!("  waited on one server, the others' poems sat unread.");
    println!("- The asynchronous client took about as long as the slowest download: one");
    println!("  thread, one wait for all the sockets, and it read whichever was ready.");
    println!("- Its chunk lines interleave tasks: no order was chosen, the servers set it.");
    println!("- Try more servers (--servers 8): the blocking time grows with each one,");
    println!("  the asynchronous time hardly moves.");
    ExitCode::SUCCESS
}

/// The blocking client's way: each download in turn, printing its lines.
fn run_blocking(sockets: &[SocketAddr], addresses: &[Address]) -> Run {
    let mut downloads = Downloads::new(sockets.len());
    let mut results = Vec::new();
    let start = Instant::now();
    for (i, (socket, address)) in sockets.iter().zip(addresses).enumerate() {
        println!("{}", report::starting(i + 1, address));
        downloads.starts[i] = start.elapsed();
        let chunks = &mut downloads.chunks[i];
        let result = blocking::get_poetry(*socket, &Timeouts::default(), |_| {
            chunks.push(start.elapsed())
        });
        downloads.ends[i] = start.elapsed();
        let took = downloads.ends[i] - downloads.starts[i];
        match &result {
            Ok(poem) => println!("{}", report::got_poem_in(i + 1, poem.len(), address, took)),
            Err(error) => println!("{}", report::failed(i + 1, address, error)),
        }
        results.push(result);
    }
    downloads.total = start.elapsed();
    let got = results.iter().filter(|r| r.is_ok()).count();
    println!("{}", report::total(got, downloads.total));
    Run { results, downloads }
}

/// The asynchronous client's way: all downloads in one readiness loop,
/// showing the first few chunk lines and counting the rest.
fn run_async(sockets: &[SocketAddr], addresses: &[Address]) -> std::io::Result<Run> {
    let mut downloads = Downloads::new(sockets.len());
    let mut lines = 0;
    let start = Instant::now();
    let results = async_client::get_poetry(sockets, &Timeouts::default(), |event| {
        let line = match event {
            Event::Received { task, bytes } => {
                downloads.chunks[task - 1].push(start.elapsed());
                report::got_chunk(task, bytes, &addresses[task - 1])
            }
            Event::Finished { task } => {
                downloads.ends[task - 1] = start.elapsed();
                report::finished(task)
            }
            Event::Failed { task, error } => {
                downloads.ends[task - 1] = start.elapsed();
                report::failed(task, &addresses[task - 1], error)
            }
        };
        lines += 1;
        if lines <= SHOWN_CHUNK_LINES {
            println!("{line}");
        }
    })?;
    downloads.total = start.elapsed();
    let more = lines.saturating_sub(SHOWN_CHUNK_LINES);
    println!("… and {more} more lines like these, then:");
    for (task, result) in results.iter().enumerate() {
        if let Ok(poem) = result {
            println!("{}", report::poem_size(task + 1, poem.len()));
        }
    }
    let got = results.iter().filter(|r| r.is_ok()).count();
    println!("{}", report::total(got, downloads.total));
    Ok(Run { results, downloads })
}
