//! The guided demo of part 6: `cargo run -p part-06`.
//!
//! Starts a few slow poetry servers inside this process, picks a port where
//! nobody listens, and downloads from all of them: first with client 3.0
//! (`get_poetry` with a callback), then with client 3.1 (a callback and an
//! errback). Then it shows, from inside a callback and an errback, the stack
//! they are called on, and ends with the same downloads as an `async fn`
//! on tokio, where the failure is simply a return value.

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::demo::{DemoArgs, closed_port};
use part_02::{Address, FetchError, cli, report};
use part_03::Reactor;
use part_05::stack::{Frame, Layer, layers};
use part_06::{Countdown, Printer, Stream, Task, callback, errback, summary, tokio_poetry};

/// Part 6 — And then we took it higher: get_poetry with a callback (client
/// 3.0), then with a callback and an errback (client 3.1), on slow poetry
/// servers started in this process and one port where nobody listens.
#[derive(Debug, Parser)]
#[command(name = "part-06", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
}

/// How many lines of a client's output the demo shows.
const SHOWN_LINES: usize = 6;

fn main() -> ExitCode {
    let args = Args::parse();
    let servers = match args.demo.start() {
        Ok(servers) => servers,
        Err(error) => return cli::fail(format_args!("cannot start a slow poetry server: {error}")),
    };
    let nobody = match closed_port() {
        Ok(addr) => addr,
        Err(error) => return cli::fail(format_args!("cannot find a free port: {error}")),
    };
    let mut sockets = servers.sockets();
    sockets.push(nobody);
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();
    let refused = sockets.len();

    println!("Part 6 — And then we took it higher");
    println!();
    servers.describe();
    println!("and a port where nobody listens:");
    println!("  task {refused}: {nobody}");
    let expected: Vec<Option<&[u8]>> = servers
        .poems()
        .iter()
        .map(|(_, poem)| Some(*poem))
        .chain([None])
        .collect();

    println!();
    println!("1. Client 3.0: get_poetry(&reactor, &task, got_poem) for each task. The");
    println!("   program hands over one closure, for the poem. The chunk lines come from");
    println!("   inside get_poetry; \"Task N finished\" from got_poem. First {SHOWN_LINES} lines:");
    println!();
    let (printer, lines) = first_lines();
    let tasks = Task::numbered(&addresses, &sockets, &printer);
    let start = Instant::now();
    let poems = match client_3(&tasks) {
        Ok(poems) => poems,
        Err(error) => return cli::fail(error),
    };
    finish(&poems, start.elapsed(), lines.get());
    if let Err(error) = check(&poems, &expected, "client 3.0") {
        return cli::fail(error);
    }
    println!();
    println!("Task {refused}'s line \"failed to get poetry\" was printed inside get_poetry, by");
    println!("its factory: there was nobody to hand the error to. The program only noticed");
    println!("that got_poem was dropped without being called (it owned a ticket that");
    println!("counts the task as over when dropped). It knows the poem will not come,");
    println!("but not why.");

    println!();
    println!("2. Client 3.1: get_poetry(&reactor, &task, got_poem, poem_failed). A second");
    println!("   closure, for the failure. First {SHOWN_LINES} lines:");
    println!();
    let (printer, lines) = first_lines();
    let tasks = Task::numbered(&addresses, &sockets, &printer);
    let start = Instant::now();
    let (poems, failures) = match client_3_1(&tasks) {
        Ok(run) => run,
        Err(error) => return cli::fail(error),
    };
    finish(&poems, start.elapsed(), lines.get());
    if let Err(error) = check(&poems, &expected, "client 3.1") {
        return cli::fail(error);
    }
    println!();
    println!("This time the failure reached the program. poem_failed was handed:");
    for (task, error) in &failures {
        println!("  task {task}: {}", variant(error));
    }
    println!("and the program printed it. It could as well have tried another server.");

    println!();
    println!("3. Where the closures are called from. One more run of client 3.1, for");
    println!("   task 1 and task {refused}; each closure takes a picture of the stack it");
    println!("   runs on. (get_poetry was called by the function start_downloads.)");
    println!();
    if let Err(error) = where_they_are_called_from(&sockets[0], &nobody) {
        return cli::fail(error);
    }

    println!();
    println!("4. Rust today: an async fn on tokio, get_poetry(addr) -> Result<Vec<u8>,");
    println!("   FetchError>, one task per address. Each JoinHandle gives back what its");
    println!("   task returned, poem or error, to the code that awaits it:");
    println!();
    let start = Instant::now();
    let outcomes = match tokio_poetry::block_on(tokio_poetry::get_poems(&sockets)) {
        Ok(outcomes) => outcomes,
        Err(error) => return cli::fail(format_args!("cannot start the runtime: {error}")),
    };
    let took = start.elapsed();
    let mut got = 0;
    for ((task, outcome), address) in (1..).zip(&outcomes).zip(&addresses) {
        match outcome {
            Ok(poem) => {
                println!("{}", report::poem_size(task, poem.len()));
                got += 1;
            }
            Err(error) => println!("{}", report::failed(task, address, error)),
        }
    }
    println!("{}", report::total(got, took));
    let poems: Vec<Option<Vec<u8>>> = outcomes.into_iter().map(Result::ok).collect();
    if let Err(error) = check(&poems, &expected, "the tokio client") {
        return cli::fail(error);
    }

    println!();
    println!("What to notice:");
    println!("- get_poetry returns at once. The caller hands over what to do next (a");
    println!("  closure), and the reactor calls it later, from its own stack.");
    println!("- By then the caller has returned. An error cannot be returned to it, and a");
    println!("  panic cannot unwind into it: errors have to be handed over in advance too.");
    println!("  Client 3.0 has no errback, so its failures end up printed inside the");
    println!("  library, out of the program's reach.");
    println!("- Client 3.1's factory keeps both closures together and calls exactly one,");
    println!("  once. Part 7's Deferred makes that pair a value get_poetry can return.");
    println!("- An async fn keeps the caller's stack alive across the wait (inside the");
    println!("  future), so the result is returned, and ? passes the error up.");
    ExitCode::SUCCESS
}

/// A printer that shows the first [`SHOWN_LINES`] lines of a run and
/// counts all of them.
fn first_lines() -> (Printer, Rc<Cell<usize>>) {
    let lines = Rc::new(Cell::new(0));
    let counted = Rc::clone(&lines);
    let printer = Printer::new(move |stream, line| {
        counted.set(counted.get() + 1);
        if counted.get() <= SHOWN_LINES {
            match stream {
                Stream::Out => println!("{line}"),
                Stream::Err => eprintln!("{line}"),
            }
        }
    });
    (printer, lines)
}

/// Prints how many lines were not shown, then the closing lines.
fn finish(poems: &[Option<Vec<u8>>], took: Duration, lines: usize) {
    println!(
        "… and {} more lines like these, then:",
        lines.saturating_sub(SHOWN_LINES)
    );
    for line in summary(poems, took) {
        println!("{line}");
    }
}

/// Checks that every task got the poem its server serves, and the task
/// with nobody listening got none.
fn check(poems: &[Option<Vec<u8>>], expected: &[Option<&[u8]>], who: &str) -> Result<(), String> {
    for (task, (got, wanted)) in (1..).zip(poems.iter().zip(expected)) {
        if got.as_deref() != *wanted {
            return Err(format!("{who} got the wrong outcome for task {task}"));
        }
    }
    Ok(())
}

/// The error as a value: its variant and the kind of its I/O error.
fn variant(error: &FetchError) -> String {
    match error {
        FetchError::Connect(source) => format!("FetchError::Connect({:?})", source.kind()),
        FetchError::Lost { received, source } => format!(
            "FetchError::Lost {{ received: {received}, source: {:?} }}",
            source.kind()
        ),
    }
}

fn new_reactor() -> Result<Reactor, String> {
    Reactor::new().map_err(|error| format!("cannot create a reactor: {error}"))
}

// ANCHOR: client_3
/// Client 3.0, as in `client-3`: a callback per task, holding a ticket.
fn client_3(tasks: &[Task]) -> Result<Vec<Option<Vec<u8>>>, String> {
    let reactor = new_reactor()?;
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in tasks {
        let (poems, ticket, me) = (Rc::clone(&poems), countdown.ticket(), task.clone());
        let got_poem = move |poem: Vec<u8>| {
            me.printer.out(&report::finished(me.number));
            poems.borrow_mut()[me.number - 1] = Some(poem);
            drop(ticket);
        };
        callback::get_poetry(&reactor, task, got_poem);
    }
    reactor
        .run()
        .map_err(|error| format!("the reactor failed: {error}"))?;
    Ok(poems.take())
}
// ANCHOR_END: client_3

/// What client 3.1 ends with: each task's poem, and the errors its
/// errbacks were handed, by task.
type Run = (Vec<Option<Vec<u8>>>, Vec<(usize, FetchError)>);

/// Client 3.1, as in `client-3-errback`: a callback and an errback per
/// task.
fn client_3_1(tasks: &[Task]) -> Result<Run, String> {
    let reactor = new_reactor()?;
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let failures = Rc::new(RefCell::new(Vec::new()));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in tasks {
        let (poems, done, me) = (Rc::clone(&poems), countdown.clone(), task.clone());
        let got_poem = move |poem: Vec<u8>| {
            me.printer.out(&report::finished(me.number));
            poems.borrow_mut()[me.number - 1] = Some(poem);
            done.one_done();
        };
        let (failures, done, me) = (Rc::clone(&failures), countdown.clone(), task.clone());
        let poem_failed = move |error: FetchError| {
            me.report_failure(&error);
            failures.borrow_mut().push((me.number, error));
            done.one_done();
        };
        errback::get_poetry(&reactor, task, got_poem, poem_failed);
    }
    reactor
        .run()
        .map_err(|error| format!("the reactor failed: {error}"))?;
    Ok((poems.take(), failures.take()))
}

/// The stacks seen from inside a callback and an errback.
#[derive(Default)]
struct Pictures {
    callback: Option<Vec<Frame>>,
    errback: Option<Vec<Frame>>,
}

// ANCHOR: start_downloads
/// Starts two downloads whose closures each keep a picture of the stack
/// they were called on, and returns at once, long before either is called.
fn start_downloads(reactor: &Reactor, tasks: &[Task], pictures: &Rc<RefCell<Pictures>>) {
    let countdown = Countdown::new(reactor, tasks.len());
    for task in tasks {
        let (seen, done) = (Rc::clone(pictures), countdown.clone());
        let got_poem = move |_poem: Vec<u8>| {
            seen.borrow_mut().callback = Some(layers());
            done.one_done();
        };
        let (seen, done) = (Rc::clone(pictures), countdown.clone());
        let poem_failed = move |_error: FetchError| {
            seen.borrow_mut().errback = Some(layers());
            done.one_done();
        };
        errback::get_poetry(reactor, task, got_poem, poem_failed);
    }
}
// ANCHOR_END: start_downloads

/// Section 3: runs the two downloads and prints both pictures.
fn where_they_are_called_from(good: &SocketAddr, nobody: &SocketAddr) -> Result<(), String> {
    let reactor = new_reactor()?;
    let silent = Printer::new(|_, _| {});
    let sockets = [*good, *nobody];
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();
    let tasks = Task::numbered(&addresses, &sockets, &silent);
    let pictures = Rc::new(RefCell::new(Pictures::default()));
    start_downloads(&reactor, &tasks, &pictures);
    reactor
        .run()
        .map_err(|error| format!("the reactor failed: {error}"))?;

    let pictures = pictures.take();
    let (Some(errback), Some(callback)) = (pictures.errback, pictures.callback) else {
        return Err("a closure was never called".to_string());
    };
    println!("Inside poem_failed (the errback), the connection refused:");
    print_frames(&errback, "errback");
    println!();
    println!("Inside got_poem (the callback), the poem complete:");
    print_frames(&callback, "callback");
    println!();
    if errback.is_empty() || callback.is_empty() {
        println!("(This build has no debug information, so there are no frames to show.)");
        return Ok(());
    }
    let on_either = errback
        .iter()
        .chain(&callback)
        .any(|frame| frame.function == "start_downloads");
    if on_either {
        return Err("start_downloads is still on the stack".to_string());
    }
    println!("Read them from the top: main, then the reactor, then part 5's transport,");
    println!("then get_poetry's factory, then the closure. start_downloads, which called");
    println!("get_poetry, is on neither stack: it returned before the reactor ran. Nothing");
    println!("the closures return or raise can reach it; they can only act themselves.");
    Ok(())
}

/// Prints a picture of the stack, outermost call first, each frame with
/// who it belongs to: the program, the reactor, the transport, the code
/// inside get_poetry, or the closure (`closure` names which).
fn print_frames(frames: &[Frame], closure: &str) {
    let width = frames.iter().map(|f| f.function.len()).max().unwrap_or(0);
    for frame in frames {
        let owner = match frame.layer {
            Layer::Program => "program",
            Layer::Reactor => "reactor",
            Layer::Transport => "transport",
            Layer::Protocol if frame.location.starts_with("parts/part-06/src/main.rs") => closure,
            Layer::Protocol => "get_poetry",
        };
        println!(
            "  {owner:<10}  {:<width$}  {}",
            frame.function, frame.location
        );
    }
}
