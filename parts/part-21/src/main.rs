//! The guided demo of part 21: `cargo run -p part-21`.
//!
//! Laziness, from iterators to sockets: endless sequences consumed only as
//! far as needed; a stream of lines that does nothing until it is polled;
//! the first Haskell client's one task per poem; and the second client's
//! poems in order, first with streams chained one after another (too lazy:
//! one download at a time), then with every download started at once.

use std::cell::{Cell, RefCell};
use std::pin::pin;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::{Stream, StreamExt};
use part_01::timeline::format_secs;
use part_02::cli::Timeouts;
use part_02::{Address, FetchError, ServerOptions, SlowServer, cli, demo_poems};
use part_03::Reactor;
use part_17::Runtime;
use part_21::haskell::{in_order, poem_lines, print_as_it_comes, read_ahead};
use part_21::lazy::{evens, noisy_evens, third_triple};

/// Part 21 — Lazy is as lazy doesn't: lazy iterators, a lazy stream of
/// lines over a socket, and the two Haskell clients' ways of using it,
/// against slow servers of different speeds started in this process.
#[derive(Debug, Parser)]
#[command(name = "part-21", version)]
struct Args {
    /// Run only this step (1 to 5) rather than all of them.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    step: Option<u8>,
}

/// The pacing of the demo's three servers: a medium one, a fast one and a
/// slow one, in task order.
const SPEEDS: [(&str, usize, u64); 3] = [("medium", 60, 50), ("fast", 200, 20), ("slow", 40, 100)];

fn main() -> ExitCode {
    let args = Args::parse();
    let wanted = |step: u8| args.step.is_none_or(|only| only == step);
    let runtime = match Reactor::new() {
        Ok(reactor) => Runtime::new(&reactor),
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    println!("Part 21 — Lazy is as lazy doesn't");
    if wanted(1) {
        println!();
        println!("1. Endless sequences, consumed only as far as needed");
        endless();
    }
    if args.step == Some(1) {
        return ExitCode::SUCCESS;
    }
    let servers = match start_servers() {
        Ok(servers) => servers,
        Err(error) => return cli::fail(format_args!("cannot start the servers: {error}")),
    };
    println!();
    println!("Started 3 slow poetry servers in this process, of different speeds:");
    for (task, (server, (speed, bytes, every), name, poem)) in (1..).zip(&servers) {
        let every = format_secs(Duration::from_millis(*every));
        println!(
            "  task {task}: {}  {name:<12} {:>4} bytes, {speed:<6} ({bytes} bytes every {every})",
            Address::from(server.addr()),
            poem.len()
        );
    }
    let steps: [(&str, Step); 4] = [
        (
            "2. A stream of lines does nothing until it is polled",
            untouched,
        ),
        ("3. One task per poem (haskell-client-1)", one_task_each),
        ("4. Poems in order, streams chained: too lazy", chained),
        (
            "5. Poems in order, every download started at once (haskell-client-2)",
            ahead,
        ),
    ];
    for (number, (title, step)) in (2..).zip(steps) {
        if !wanted(number) {
            continue;
        }
        println!();
        println!("{title}");
        if let Err(problem) = step(&runtime, &servers) {
            return cli::fail(format_args!("{title}: {problem}"));
        }
    }
    if args.step.is_some() {
        return ExitCode::SUCCESS;
    }
    println!();
    println!("What to notice:");
    println!("  - Nothing is computed or read until something asks for it: `next` on an");
    println!("    iterator, a poll of a stream. There are no thunks behind your back.");
    println!("  - Chained streams are lazy all the way down: the second poem's server is");
    println!("    not even connected to until the first poem is done.");
    println!("  - To download meanwhile, something has to poll meanwhile: read_ahead");
    println!("    gives each poem a task, and the printing takes lines out in order.");
    ExitCode::SUCCESS
}

/// A server of the demo: the server, its pacing, its poem's name and bytes.
type Server = (
    SlowServer,
    (&'static str, usize, u64),
    &'static str,
    &'static [u8],
);

/// One step of the demo.
type Step = fn(&Runtime, &[Server]) -> Result<(), String>;

fn start_servers() -> std::io::Result<Vec<Server>> {
    demo_poems(3)
        .into_iter()
        .zip(SPEEDS)
        .map(|((name, poem), speed)| {
            let options = ServerOptions {
                num_bytes: speed.1,
                delay: Duration::from_millis(speed.2),
            };
            Ok((SlowServer::spawn(poem, options)?, speed, name, poem))
        })
        .collect()
}

fn endless() {
    // ANCHOR: endless
    let firsts: Vec<u64> = evens().take(5).collect();
    println!("  evens().take(5): {firsts:?}");
    println!(
        "  the third triple of 1.., 2,4.. and 3,6..: {:?}",
        third_triple()
    );
    let made = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&made);
    let evens = noisy_evens(move |n| seen.borrow_mut().push(n));
    println!(
        "  made so far, after building the iterator: {:?}",
        made.borrow()
    );
    let sum: u64 = evens.take_while(|&n| n < 7).sum();
    println!(
        "  sum of the evens below 7: {sum}; made: {:?}",
        made.borrow()
    );
    // ANCHOR_END: endless
    println!("  (8 was made, looked at by take_while, and refused: nothing else was.)");
}

fn untouched(runtime: &Runtime, servers: &[Server]) -> Result<(), String> {
    let (server, _, name, _) = &servers[0];
    let lines = poem_lines(runtime, server.addr(), Timeouts::default());
    println!("  Built the stream of {name}'s lines. Nothing has connected or been read.");
    let first = runtime
        .block_on(async move {
            let mut lines = pin!(lines);
            let first = lines.next().await;
            let second = lines.next().await;
            (first, second)
        })
        .map_err(|failure| failure.to_string())?;
    match first {
        (Some(Ok(first)), Some(Ok(second))) => {
            println!("  Polled it twice: connected, and read {:?}", show(&first));
            println!("                   then {:?}", show(&second));
        }
        other => return Err(format!("the first lines did not come: {other:?}")),
    }
    println!("  Dropped it: the connection closed, and the rest was never read.");
    println!(
        "  The server has finished sending {} poems so far.",
        server.poems_served()
    );
    Ok(())
}

fn show(line: &[u8]) -> String {
    String::from_utf8_lossy(line).trim_end().to_string()
}

fn one_task_each(runtime: &Runtime, servers: &[Server]) -> Result<(), String> {
    let mut tasks = Vec::new();
    for (task, (server, ..)) in (1..).zip(servers) {
        let lines = poem_lines(runtime, server.addr(), Timeouts::default());
        let address = Address::from(server.addr());
        tasks.push(runtime.spawn(print_as_it_comes(task, address, lines)));
    }
    let outcomes = runtime.block_on(in_order(tasks));
    match outcomes {
        Ok(outcomes) if outcomes.iter().all(|got| matches!(got, Ok(true))) => Ok(()),
        other => Err(format!("a task failed: {other:?}")),
    }
}

/// A poem's lines, counted as they arrive in `arrived`.
fn counted(
    runtime: &Runtime,
    server: &Server,
    arrived: Rc<Cell<usize>>,
) -> impl Stream<Item = Result<Vec<u8>, FetchError>> + 'static {
    poem_lines(runtime, server.0.addr(), Timeouts::default())
        .inspect(move |_| arrived.set(arrived.get() + 1))
}

fn chained(runtime: &Runtime, servers: &[Server]) -> Result<(), String> {
    let arrived: Vec<_> = servers.iter().map(|_| Rc::new(Cell::new(0))).collect();
    // ANCHOR: chained
    // One stream per poem, taken in order: nothing polls poem 2 (so
    // nothing even connects to its server) until poem 1 has ended.
    let poems: Vec<_> = servers
        .iter()
        .zip(&arrived)
        .map(|(server, arrived)| counted(runtime, server, Rc::clone(arrived)))
        .collect();
    // ANCHOR_END: chained
    take_in_order(runtime, poems, arrived)
}

fn ahead(runtime: &Runtime, servers: &[Server]) -> Result<(), String> {
    let arrived: Vec<_> = servers.iter().map(|_| Rc::new(Cell::new(0))).collect();
    // ANCHOR: ahead
    // The same streams, each polled from now on by a task of its own.
    let poems: Vec<_> = servers
        .iter()
        .zip(&arrived)
        .map(|(server, arrived)| read_ahead(runtime, counted(runtime, server, Rc::clone(arrived))))
        .collect();
    // ANCHOR_END: ahead
    take_in_order(runtime, poems, arrived)
}

/// Takes the lines of every poem in order, and says when each poem's
/// first and last lines were taken, and how many lines of the poems after
/// it had arrived by the time it was done.
fn take_in_order<S>(
    runtime: &Runtime,
    poems: Vec<S>,
    arrived: Vec<Rc<Cell<usize>>>,
) -> Result<(), String>
where
    S: Stream<Item = Result<Vec<u8>, FetchError>> + 'static,
{
    let start = Instant::now();
    let report = runtime
        .block_on(async move {
            let mut report = Vec::new();
            for (number, poem) in (1..).zip(poems) {
                let mut poem = pin!(poem);
                let (mut taken, mut first) = (0, Duration::ZERO);
                while let Some(line) = poem.next().await {
                    if let Err(error) = line {
                        return Err(format!("poem {number}: {error}"));
                    }
                    if taken == 0 {
                        first = start.elapsed();
                    }
                    taken += 1;
                }
                let later: Vec<String> = (number + 1..=arrived.len())
                    .map(|later| format!("poem {later} had {}", arrived[later - 1].get()))
                    .collect();
                let later = if later.is_empty() {
                    String::new()
                } else {
                    format!("; by then {}", later.join(", "))
                };
                report.push(format!(
                    "  poem {number}: {taken} lines, taken from {} to {}{later}",
                    format_secs(first),
                    format_secs(start.elapsed())
                ));
            }
            Ok(report)
        })
        .map_err(|failure| failure.to_string())??;
    for line in report {
        println!("{line}");
    }
    println!("  Took {} in all.", format_secs(start.elapsed()));
    Ok(())
}
