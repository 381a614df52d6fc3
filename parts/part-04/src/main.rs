//! The guided demo of part 4: `cargo run -p part-04`.
//!
//! Starts a few slow poetry servers inside this process and downloads one
//! poem from each twice on our reactor: first with client 1.0's code, whose
//! `PoetrySocket`s have non-blocking sockets, then with the broken client's
//! code, the same but for blocking sockets. Beside the downloads, the
//! reactor keeps a heartbeat: a timer due every few tenths of a second. The
//! demo shows both clients' output, a timeline of when the program read
//! each server's bytes and when the heartbeat ran, and the totals.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_01::timeline::{Activity, format_secs};
use part_02::cli::Timeouts;
use part_02::demo::{DemoArgs, DemoServers};
use part_02::downloads::Downloads;
use part_02::{Address, cli, report};
use part_03::{DelayedCall, Reactor};
use part_04::{Printer, SocketMode, Stream, get_poetry};

/// Part 4 — Twisted poetry: client 1.0 on our reactor, and the same client
/// with blocking sockets, on slow poetry servers started in this process.
///
/// Each client's reactor also keeps a heartbeat, every DELAY_MS.
#[derive(Debug, Parser)]
#[command(name = "part-04", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
}

/// How many lines of client 1.0's chunk-by-chunk output the demo shows.
const SHOWN_LINES: usize = 9;
/// Columns of the time axis in the drawn timelines.
const WIDTH: usize = 56;

/// What one client's run produced.
struct Run {
    /// When each server's bytes were read.
    downloads: Downloads,
    /// When the heartbeat ran.
    beats: Vec<Duration>,
}

impl Run {
    /// The longest stretch without a heartbeat, up to the end of the run.
    fn longest_gap(&self) -> Duration {
        let mut times = self.beats.clone();
        times.push(self.downloads.total);
        times
            .windows(2)
            .map(|pair| pair[1].saturating_sub(pair[0]))
            .max()
            .unwrap_or_default()
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let servers = match args.demo.start() {
        Ok(servers) => servers,
        Err(error) => return cli::fail(format_args!("cannot start a slow poetry server: {error}")),
    };
    let options = servers.options();
    let targets: Vec<(Address, SocketAddr)> = servers
        .addresses()
        .into_iter()
        .zip(servers.sockets())
        .collect();
    let labels = servers.labels();

    println!("Part 4 — Twisted poetry");
    println!();
    servers.describe();
    println!();
    println!(
        "Each client runs on a reactor of its own, which also keeps a heartbeat: a\n\
         timed call that notes when it ran and schedules the next one {} later.",
        format_secs(options.delay)
    );

    println!();
    println!("1. Client 1.0: a PoetrySocket per server, non-blocking sockets.");
    println!("   The reactor calls do_read whenever a socket is readable.");
    println!("   Its first {SHOWN_LINES} lines (one per do_read):");
    println!();
    let good = match run_client(&targets, &servers, SocketMode::NonBlocking, options.delay) {
        Ok(run) => run,
        Err(error) => return cli::fail(error),
    };

    println!();
    println!("2. The broken client: the same code, but the sockets stay blocking.");
    println!("   Everything it printed:");
    println!();
    let broken = match run_client(&targets, &servers, SocketMode::Blocking, options.delay) {
        Ok(run) => run,
        Err(error) => return cli::fail(error),
    };

    let scale = good.downloads.total.max(broken.downloads.total);
    println!();
    println!("When the program read each server's bytes (█ a read returned bytes,");
    println!("░ connection open), and when the heartbeat ran (█):");
    println!();
    for (run, title) in [(&good, "Client 1.0"), (&broken, "Broken client")] {
        let mut timeline = run.downloads.timeline(title, &labels);
        let row = timeline.rows.len();
        timeline.rows.push("heartbeat".to_string());
        for &at in &run.beats {
            timeline.push(row, Activity::Running, at, at + Duration::from_millis(1));
        }
        print!("{}", timeline.render_scaled(WIDTH, scale));
        println!();
    }

    for (run, name) in [(&good, "Client 1.0:   "), (&broken, "Broken client:")] {
        println!(
            "{name} all poems in {}; heartbeats: {}, the longest silence {}",
            format_secs(run.downloads.total),
            run.beats.len(),
            format_secs(run.longest_gap()),
        );
    }
    println!();
    println!("What to notice:");
    println!("- Nobody in the client calls do_read: the reactor does, when epoll says a");
    println!("  socket is readable. Client 1.0's lines interleave the servers.");
    println!("- The broken client differs by one line: it leaves the sockets blocking");
    println!("  (cargo xtask diff client-1 client-1-broken). Its first do_read waited for");
    println!("  the whole first poem; each poem arrived in one go, one server after another.");
    println!("- Its total is about the same only because the servers kept sending while it");
    println!("  was stuck, and the kernel kept their bytes until somebody read them.");
    println!("- But while one do_read blocked, the reactor did nothing else: the heartbeat");
    println!("  went silent, and so would every timer and every other socket.");
    println!("- The reactor cannot save you from blocking code. It calls you; it cannot");
    println!("  make you return.");
    ExitCode::SUCCESS
}

/// Runs one client on a fresh reactor with a heartbeat, printing its output
/// as the demo shows it, and checks that every poem arrived intact.
fn run_client(
    targets: &[(Address, SocketAddr)],
    servers: &DemoServers,
    mode: SocketMode,
    every: Duration,
) -> Result<Run, String> {
    let reactor = Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))?;
    let beats = Rc::new(RefCell::new(Vec::new()));
    let next_beat = Rc::new(RefCell::new(None));
    heartbeat(&reactor, Duration::ZERO, every, &beats, &next_beat);

    // Client 1.0 shows its first lines and counts the rest; the broken
    // client prints few enough to show them all.
    let shown = match mode {
        SocketMode::NonBlocking => SHOWN_LINES,
        SocketMode::Blocking => usize::MAX,
    };
    let lines = Rc::new(RefCell::new(0));
    let printer = {
        let lines = Rc::clone(&lines);
        Printer::new(move |stream, line| {
            let mut lines = lines.borrow_mut();
            *lines += 1;
            match stream {
                Stream::Out if *lines <= shown => println!("{line}"),
                Stream::Out => {}
                Stream::Err => eprintln!("{line}"),
            }
        })
    };

    let tasks = get_poetry(&reactor, targets, mode, &Timeouts::default(), &printer)
        .map_err(|e| e.to_string())?;
    let total = reactor.now();
    // The last heartbeat is still scheduled; cancel it, so that it lets go
    // of the reactor it holds.
    if let Some(call) = next_beat.borrow_mut().take() {
        let _ = call.cancel();
    }
    if shown != usize::MAX {
        let more = lines.borrow().saturating_sub(shown);
        println!("… and {more} more lines like these, then:");
    }

    let mut downloads = Downloads::new(tasks.len());
    for (i, task) in tasks.iter().enumerate() {
        let socket = task
            .as_ref()
            .map_err(|error| format!("task {}: {error}", i + 1))?
            .borrow();
        if !socket.is_finished() {
            return Err(format!("task {} did not finish its poem", i + 1));
        }
        let client = match mode {
            SocketMode::NonBlocking => "client 1.0",
            SocketMode::Blocking => "broken",
        };
        servers.check(client, i + 1, socket.poem())?;
        println!("{}", report::poem_size(i + 1, socket.poem().len()));
        downloads.chunks[i] = socket.reads().to_vec();
        downloads.ends[i] = socket.ended().unwrap_or(total);
    }
    downloads.total = total;
    println!("{}", report::total(tasks.len(), total));
    let beats = beats.borrow().clone();
    Ok(Run { downloads, beats })
}

/// Schedules a heartbeat on `reactor` after `delay`: it notes the time in
/// `beats` and schedules the next one `every` later. `next` holds the call
/// still to come.
fn heartbeat(
    reactor: &Reactor,
    delay: Duration,
    every: Duration,
    beats: &Rc<RefCell<Vec<Duration>>>,
    next: &Rc<RefCell<Option<DelayedCall>>>,
) {
    let (handle, beats_now, next_now) = (reactor.clone(), Rc::clone(beats), Rc::clone(next));
    let call = reactor.call_later(delay, move || {
        beats_now.borrow_mut().push(handle.now());
        heartbeat(&handle, every, every, &beats_now, &next_now);
    });
    *next.borrow_mut() = Some(call);
}
