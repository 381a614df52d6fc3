//! The guided demo of part 8: `cargo run -p part-08`.
//!
//! Starts a few slow poetry servers inside this process, picks a port where
//! nobody listens, and downloads from all of them with client 4.0, whose
//! `get_poetry` returns a deferred. Then it shows the stack from inside a
//! deferred's callback, runs the downloads again with a time limit (one
//! very slow server is given up on), and ends with the same downloads as
//! `async fn`s on tokio.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_01::timeline::format_secs;
use part_02::demo::{DemoArgs, DemoServers, closed_port};
use part_02::downloads::Downloads;
use part_02::{Address, FetchError, ServerOptions, SlowServer, cli, poems, report};
use part_03::Reactor;
use part_06::{Countdown, Printer, Stream, Task, summary};
use part_07::Failure;
use part_08::stack::{Frame, Layer, layer_order, layers, print_layers};
use part_08::{get_poetry, tokio_poetry};

/// Part 8 — Deferred poetry: client 4.0, whose get_poetry returns a
/// deferred, on slow poetry servers started in this process and one port
/// where nobody listens; then with a time limit, and on tokio.
#[derive(Debug, Parser)]
#[command(name = "part-08", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
    /// Show only the stack from inside a deferred's callback.
    #[arg(long)]
    stack: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = if args.stack {
        stack_only(&args)
    } else {
        run(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(error),
    }
}

/// `--stack`: one server, one download, and the stack its callback sees.
fn stack_only(args: &Args) -> Result<(), String> {
    let servers = DemoServers::start(1, args.demo.options())
        .map_err(|error| format!("cannot start a slow poetry server: {error}"))?;
    println!("Part 8 — Deferred poetry: the stack from inside a callback");
    println!();
    servers.describe();
    println!("The callback on the download's deferred takes a picture of the stack:");
    println!();
    where_got_poem_runs(servers.sockets()[0])
}

fn run(args: &Args) -> Result<(), String> {
    let servers = args
        .demo
        .start()
        .map_err(|error| format!("cannot start a slow poetry server: {error}"))?;
    let nobody = closed_port().map_err(|error| format!("cannot find a free port: {error}"))?;
    let options = servers.options();
    let slowest = slowest(&servers);
    // A very slow server: the long poem, a quarter of the bytes at a time.
    let (name, long_poem) = poems()
        .into_iter()
        .max_by_key(|(_, poem)| poem.len())
        .ok_or("there are no bundled poems")?;
    let crawl = ServerOptions {
        num_bytes: (options.num_bytes / 4).max(1),
        delay: options.delay,
    };
    let crawl_takes = Downloads::ideal_async(&[long_poem.len()], crawl).total;
    // Long enough for every other poem, far too short for that one.
    let limit = (slowest + Duration::from_secs(1)).min((slowest + crawl_takes) / 2);

    println!("Part 8 — Deferred poetry");
    println!();
    servers.describe();
    let refused = servers.len() + 1;
    println!("and a port where nobody listens:");
    println!("  task {refused}: {nobody}");

    println!();
    println!("1. Client 4.0: get_poetry(&reactor, &task) returns a Deferred<Vec<u8>>. On each");
    println!("   the program adds got_poem and poem_failed (add_callbacks), then poem_done");
    println!("   (add_both), which counts the tasks down and stops the reactor after the last.");
    println!("   What the callbacks printed, in the order they were called:");
    println!();
    let mut sockets = servers.sockets();
    sockets.push(nobody);
    let outcome = client_4(&tasks_for(&sockets), None)?;
    outcome.finish();
    check(&servers, &outcome.poems, "client 4.0")?;
    println!();
    println!("poem_failed was handed a Failure: the FetchError, its type, and where the");
    println!("factory turned it into a failure:");
    for (task, failure) in &outcome.failures {
        println!("  task {task}: {failure}");
        let variant = match failure.downcast_ref::<FetchError>() {
            Some(FetchError::Connect(error)) => format!("FetchError::Connect({:?})", error.kind()),
            Some(FetchError::Lost { .. }) => "FetchError::Lost".to_string(),
            None => "not a FetchError".to_string(),
        };
        println!("  failure.type_name() = {}", failure.type_name());
        println!("  failure.downcast_ref::<FetchError>() = Some({variant})");
    }

    println!();
    println!("2. Where got_poem is called from. One more download, from task 1's server; its");
    println!("   callback takes a picture of the stack it runs on:");
    println!();
    where_got_poem_runs(servers.sockets()[0])?;

    let slow = SlowServer::spawn(long_poem, crawl)
        .map_err(|error| format!("cannot start a slow poetry server: {error}"))?;
    let very_slow = servers.len() + 1;
    println!();
    println!("3. Client 4.0 with a time limit (client-4-timeout). Task {very_slow} is now a very");
    println!(
        "   slow server ({}, {name}, {} bytes every {}): the",
        slow.addr(),
        crawl.num_bytes,
        format_secs(crawl.delay)
    );
    println!(
        "   whole poem would take {}. Each deferred races a timed call,",
        format_secs(crawl_takes)
    );
    println!(
        "   reactor.call_later({}, cancel), and the loser is cancelled:",
        format_secs(limit)
    );
    println!();
    let mut sockets = servers.sockets();
    sockets.push(slow.addr());
    let outcome = client_4(&tasks_for(&sockets), Some(limit))?;
    outcome.finish();
    check(&servers, &outcome.poems, "client 4.0 with a time limit")?;
    println!();
    println!("The other tasks' deferreds fired first and cancelled their timers. Task");
    println!(
        "{very_slow}'s timer fired first: it cancelled the deferred, whose canceller took the"
    );
    println!(
        "trigger from the factory and closed the connection after {} chunks.",
        outcome.chunks(very_slow)
    );

    // A fresh very slow server: the first may still be busy with the
    // connection just abandoned.
    let slow = SlowServer::spawn(long_poem, crawl)
        .map_err(|error| format!("cannot start a slow poetry server: {error}"))?;
    println!();
    println!("4. Rust today: the same downloads as async fns on tokio, awaited all at once");
    println!("   with join_all; each get_poetry(addr, on_chunk) runs inside");
    println!("   tokio::time::timeout({}, …).", format_secs(limit));
    println!(
        "   (Task {very_slow} is a fresh very slow server, {}.)",
        slow.addr()
    );
    println!();
    let mut sockets = servers.sockets();
    sockets.push(slow.addr());
    let (printer, lines) = quiet_printer();
    let tasks = Task::numbered(&addresses(&sockets), &sockets, &printer);
    let start = Instant::now();
    let poems = tokio_poetry::block_on(tokio_poetry::get_poems(&tasks, Some(limit)))
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    let outcome = Outcome {
        poems,
        failures: Vec::new(),
        took: start.elapsed(),
        lines,
    };
    outcome.finish();
    check(&servers, &outcome.poems, "the tokio client")?;

    println!();
    println!("What to notice:");
    println!("- get_poetry takes no closures any more. It returns a deferred at once, and");
    println!("  the program adds its callbacks to that: what happens to a poem is decided by");
    println!("  the code that asked for it, not stored inside the code that fetches it.");
    println!("- A failure has somewhere to go: down the chain, as a Failure, to the errback.");
    println!("  poem_done runs after either one, so ending the program is one step, once.");
    println!("- The callback still runs on the reactor's stack, under the transport, the");
    println!("  protocol, the factory and the deferred: a deferred organises callbacks, it");
    println!("  does not change where they run.");
    println!("- A time limit is a race between a timer and a deferred; whichever finishes");
    println!("  first cancels the other. On tokio, timeout() drops the losing future.");
    Ok(())
}

/// What one run of client 4.0 ended with.
struct Outcome {
    poems: Vec<Option<Vec<u8>>>,
    /// The failures poem_failed was handed, by task.
    failures: Vec<(usize, Failure)>,
    took: Duration,
    /// The lines get_poetry printed.
    lines: Lines,
}

impl Outcome {
    /// Says how many chunk lines were not shown, then prints the summary.
    fn finish(&self) {
        let chunks = self.lines.borrow().len();
        println!("(and {chunks} chunk lines from inside get_poetry, not shown here)");
        for line in summary(&self.poems, self.took) {
            println!("{line}");
        }
    }

    /// How many chunks task `task` received.
    fn chunks(&self, task: usize) -> usize {
        let prefix = format!("Task {task}: got ");
        let lines = self.lines.borrow();
        lines
            .iter()
            .filter(|line| line.starts_with(&prefix))
            .count()
    }
}

type Lines = Rc<RefCell<Vec<String>>>;

/// A printer that keeps the chunk lines (without printing them) and prints
/// everything else: what the callbacks and errbacks say.
fn quiet_printer() -> (Printer, Lines) {
    let lines: Lines = Rc::default();
    let kept = Rc::clone(&lines);
    let printer = Printer::new(move |stream, line| {
        if line.contains(" bytes of poetry from ") {
            kept.borrow_mut().push(line.to_string());
        } else {
            match stream {
                Stream::Out => println!("{line}"),
                Stream::Err => eprintln!("{line}"),
            }
        }
    });
    (printer, lines)
}

fn addresses(sockets: &[SocketAddr]) -> Vec<Address> {
    sockets.iter().copied().map(Address::from).collect()
}

/// Tasks for `sockets`, numbered from 1, with a [`quiet_printer`].
fn tasks_for(sockets: &[SocketAddr]) -> (Vec<Task>, Lines) {
    let (printer, lines) = quiet_printer();
    (
        Task::numbered(&addresses(sockets), sockets, &printer),
        lines,
    )
}

// ANCHOR: client_4
/// Client 4.0, as in `client-4` (and, with a limit, `client-4-timeout`),
/// printing through each task's printer, and keeping the failures.
fn client_4(
    (tasks, lines): &(Vec<Task>, Lines),
    limit: Option<Duration>,
) -> Result<Outcome, String> {
    let reactor = Reactor::new().map_err(|error| format!("cannot create a reactor: {error}"))?;
    let start = Instant::now();
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let failures = Rc::new(RefCell::new(Vec::new()));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in tasks {
        let (poems, me) = (Rc::clone(&poems), task.clone());
        let got_poem = move |poem: Vec<u8>| {
            me.printer.out(&report::finished(me.number));
            poems.borrow_mut()[me.number - 1] = Some(poem);
        };
        let (failures, me) = (Rc::clone(&failures), task.clone());
        let poem_failed = move |failure: Failure| {
            let line = report::failed(me.number, &me.address, failure.error());
            me.printer.err(&line);
            failures.borrow_mut().push((me.number, failure));
        };
        let done = countdown.clone();
        let poem_done = move |_: Result<(), Failure>| done.one_done();
        let mut deferred = get_poetry(&reactor, task);
        if let Some(limit) = limit {
            deferred = deferred.add_timeout(&reactor, limit);
        }
        let _ = deferred
            .add_callbacks(got_poem, poem_failed)
            .add_both(poem_done);
    }
    reactor
        .run()
        .map_err(|error| format!("the reactor failed: {error}"))?;
    Ok(Outcome {
        poems: poems.take(),
        failures: failures.take(),
        took: start.elapsed(),
        lines: Rc::clone(lines),
    })
}
// ANCHOR_END: client_4

/// Section 2: one download whose callback keeps a picture of the stack.
fn where_got_poem_runs(addr: SocketAddr) -> Result<(), String> {
    let reactor = Reactor::new().map_err(|error| format!("cannot create a reactor: {error}"))?;
    let silent = Printer::new(|_, _| {});
    let task = &Task::numbered(&addresses(&[addr]), &[addr], &silent)[0];
    let picture: Rc<RefCell<Option<Vec<Frame>>>> = Rc::default();
    let seen = Rc::clone(&picture);
    let stopper = reactor.clone();
    let _ = get_poetry(&reactor, task).add_both(move |outcome: Result<Vec<u8>, Failure>| {
        if outcome.is_ok() {
            *seen.borrow_mut() = Some(layers());
        }
        let _ = stopper.stop();
    });
    reactor
        .run()
        .map_err(|error| format!("the reactor failed: {error}"))?;
    let Some(frames) = picture.take() else {
        return Err("the download failed, so there is no stack to show".to_string());
    };
    print_layers(&frames);
    println!();
    if frames.is_empty() {
        println!("(This build has no debug information, so there are no frames to show.)");
        return Ok(());
    }
    let expected = [
        Layer::Program,
        Layer::Reactor,
        Layer::Transport,
        Layer::Protocol,
        Layer::Factory,
        Layer::Deferred,
        Layer::Callback,
    ];
    if layer_order(&frames) != expected {
        return Err("the stack does not have the expected layers".to_string());
    }
    println!("Read it from the top: the reactor saw the connection close and told the");
    println!("transport, which told the protocol, which gave the poem to the factory. The");
    println!("factory fired its trigger, and the deferred ran its chain, down to the");
    println!("callback. Nothing returned in between: the callback runs inside the firing.");
    Ok(())
}

/// Checks that every server's task got that server's poem, and that every
/// other task (the refused port, the very slow server) got none.
fn check(servers: &DemoServers, poems: &[Option<Vec<u8>>], who: &str) -> Result<(), String> {
    for (task, poem) in (1..).zip(poems) {
        match poem {
            Some(poem) if task <= servers.len() => servers.check(who, task, poem)?,
            None if task > servers.len() => {}
            _ => return Err(format!("{who} got the wrong outcome for task {task}")),
        }
    }
    Ok(())
}

/// How long the longest of the servers' poems takes to send.
fn slowest(servers: &DemoServers) -> Duration {
    let sizes: Vec<usize> = servers.poems().iter().map(|(_, poem)| poem.len()).collect();
    Downloads::ideal_async(&sizes, servers.options()).total
}
