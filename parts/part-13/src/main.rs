//! The guided demo of part 13: `cargo run -p part-13`.
//!
//! Client 6.0's chain, told step by step as it runs, against slow poetry
//! servers and a transformation server, all inside this process. For each
//! poem: the download finishes; the outer chain's callback sends the poem
//! to the transformation server and returns the deferred it got back; the
//! outer chain is paused while the reactor goes on with everything else;
//! the inner deferred fires; the outer chain goes on with its result. Then
//! the same with the transformation server down, where the inner deferred's
//! errback hands the outer chain the original poem.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::cli;
use part_02::demo::{DemoArgs, DemoServers, closed_port};
use part_03::Reactor;
use part_06::{Countdown, Printer, Task};
use part_07::Failure;
use part_12::background::{ServerKind, spawn};
use part_12::{ServerOptions, TransformProxy};
use part_13::{Step, get_transformed_poetry_told};

/// Part 13 — Deferred all the way down: client 6.0's chain told step by
/// step, a callback that returns a deferred pausing the chain it belongs
/// to until that deferred fires.
#[derive(Debug, Parser)]
#[command(name = "part-13", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
    /// The transform to ask the transformation server for.
    #[arg(long, default_value = "cummingsify")]
    transform: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match demo(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => cli::fail(problem),
    }
}

fn demo(args: &Args) -> Result<(), String> {
    let servers = args
        .demo
        .start()
        .map_err(|e| format!("cannot start the poetry servers: {e}"))?;
    let (transform_server, _events) = spawn(ServerKind::Reactor, ServerOptions::default())
        .map_err(|e| format!("cannot start the transformation server: {e}"))?;
    let transformer = transform_server.addr();
    println!("Part 13 — Deferred all the way down");
    println!();
    println!("Client 6.0's chain, for each poem:");
    println!("  get_poetry ─► as text ─► xform(poem): returns a deferred ─► the poem");
    println!("                             └─ fails? its errback: the original ─┘");
    servers.describe();
    println!("A transformation server runs in this process, on {transformer}.");

    println!();
    println!(
        "1. The transformation server up, asked to {}:",
        args.transform
    );
    run_chains(&servers, transformer, &args.transform)?;

    let down = closed_port().map_err(|e| format!("cannot find a free port: {e}"))?;
    println!();
    println!("2. The transformation server down (nothing listens on {down}):");
    run_chains(&servers, down, &args.transform)?;

    println!();
    println!("What to notice:");
    println!("- Callback 2 returns at once, with a deferred; the outer chain cannot go on");
    println!("  without a poem, so it pauses, and the reactor carries on with the other");
    println!("  downloads in the meantime.");
    println!("- When the inner deferred fires, the outer chain goes on from where it");
    println!("  stopped, with the inner chain's result: the transformed poem, or the");
    println!("  original that the inner errback returned.");
    println!("- The outer chain never sees the transform fail: the inner chain handled it.");
    Ok(())
}

/// What one step means, in the demo's words.
fn say(step: &Step) -> String {
    match step {
        Step::Downloaded { bytes } => {
            format!("download finished ({bytes} bytes); outer callback 1 makes it text")
        }
        Step::Sending { transform } => format!(
            "outer callback 2 asks the transformation server to {transform} it, returns xform's deferred"
        ),
        Step::Paused { went_on: false } => {
            "callback 2 has returned; the outer chain's next step has not run: paused".into()
        }
        Step::Paused { went_on: true } => {
            "callback 2 has returned, and the outer chain has already gone on".into()
        }
        Step::Transformed => "the inner deferred fired with the transformed poem".into(),
        Step::KeptOriginal { reason } => {
            format!("the inner deferred failed ({reason}); its errback returns the original")
        }
        Step::WentOn { first_line } => {
            format!("the outer chain goes on, with the poem that begins {first_line:?}")
        }
    }
}

/// Runs client 6.0's told chain for every demo server, with the
/// transformation server at `transformer`, printing each step as it
/// happens, until every chain has ended.
fn run_chains(
    servers: &DemoServers,
    transformer: SocketAddr,
    transform: &str,
) -> Result<(), String> {
    let reactor = Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))?;
    // The chunk lines are left out: the steps are the story here.
    let quiet = Printer::new(|_, _| {});
    let tasks = Task::numbered(&servers.addresses(), &servers.sockets(), &quiet);
    let proxy = TransformProxy::new(&reactor, transformer);
    let countdown = Countdown::new(&reactor, tasks.len());
    println!(
        "   {:>6}  {} downloads started; each outer chain waits for its poem",
        "0.000s",
        tasks.len()
    );
    for task in &tasks {
        let (clock, number) = (reactor.clone(), task.number);
        let tell = move |step: Step| {
            let at = clock.now().as_secs_f64();
            println!("   {at:>5.3}s  task {number}: {}", say(&step));
        };
        let done = countdown.clone();
        let end = Rc::new(reactor.clone());
        let _ = get_transformed_poetry_told(&reactor, task, &proxy, transform, tell).add_both(
            move |outcome: Result<String, Failure>| {
                if let Err(failure) = outcome {
                    let at = end.now().as_secs_f64();
                    println!(
                        "   {at:>5.3}s  task {number}: no poem: {}",
                        failure.message()
                    );
                }
                done.one_done();
            },
        );
    }
    reactor
        .run()
        .map_err(|e| format!("the reactor failed: {e}"))
}
