//! The guided demo of part 17: `cargo run -p part-17`.
//!
//! Our reactor becomes a runtime, in four steps: tasks that wait on
//! deferreds take turns on the reactor; a task woken by another thread
//! runs on the reactor's thread all the same; a panic fails one task's
//! deferred, and an error before the first `.await` still gives a
//! deferred; and last, a poetry client written as `async` code, on our
//! own sockets, downloads from slow servers started in this process.

use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::io::AsyncReadExt;
use part_01::timeline::format_secs;
use part_02::demo::DemoArgs;
use part_02::{cli, report};
use part_03::Reactor;
use part_07::Failure;
use part_17::{Runtime, TcpStream, timeout};

/// Part 17 — Just another way to spell "callback": futures on our own
/// reactor, then a poetry client written with async/await on it.
#[derive(Debug, Parser)]
#[command(name = "part-17", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
}

/// One step of the demo, on the demo's runtime.
type Step = fn(&Runtime) -> Result<(), Failure>;

fn main() -> ExitCode {
    let args = Args::parse();
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let runtime = Runtime::new(&reactor);
    println!("Part 17 — Just another way to spell \"callback\"");
    let steps: [(&str, Step); 3] = [
        ("1. Two tasks take turns on one reactor", taking_turns),
        ("2. A task woken from another thread", another_thread),
        ("3. Failures stay in their task", failures),
    ];
    for (title, step) in steps {
        println!();
        println!("{title}");
        if let Err(failure) = step(&runtime) {
            return cli::fail(format_args!("{title}: {failure}"));
        }
    }
    println!();
    println!("4. A poetry client as async code, on our own sockets");
    let servers = match args.demo.start() {
        Ok(servers) => servers,
        Err(error) => return cli::fail(format_args!("cannot start the servers: {error}")),
    };
    servers.describe();
    let addresses = servers.addresses();
    let sockets = servers.sockets();
    let start = Instant::now();
    let mut downloads = Vec::new();
    for (task, (addr, address)) in sockets.into_iter().zip(addresses).enumerate() {
        let reactor = runtime.reactor().clone();
        downloads.push(runtime.spawn(async move {
            let mut socket = TcpStream::connect(&reactor, addr).await?;
            let (mut poem, mut buffer) = (Vec::new(), [0; 4096]);
            loop {
                let n = socket.read(&mut buffer).await?;
                if n == 0 {
                    return Ok::<_, std::io::Error>(poem);
                }
                println!("{}", report::got_chunk(task + 1, n, &address));
                poem.extend_from_slice(&buffer[..n]);
            }
        }));
    }
    let limits = runtime.clone();
    let all = runtime.block_on(async move {
        let mut poems = Vec::new();
        for download in downloads {
            poems.push(timeout(&limits, Duration::from_secs(20), download).await);
        }
        poems
    });
    let poems = match all {
        Ok(poems) => poems,
        Err(failure) => return cli::fail(failure),
    };
    for (task, poem) in poems.into_iter().enumerate() {
        let poem = match poem {
            Ok(Ok(Ok(poem))) => poem,
            Ok(Ok(Err(error))) => return cli::fail(format_args!("task {}: {error}", task + 1)),
            Ok(Err(failure)) => return cli::fail(format_args!("task {}: {failure}", task + 1)),
            Err(late) => return cli::fail(format_args!("task {}: {late}", task + 1)),
        };
        if let Err(problem) = servers.check("async", task + 1, &poem) {
            return cli::fail(problem);
        }
        println!("{}", report::poem_size(task + 1, poem.len()));
    }
    println!(
        "Got every poem in {}, about as long as the slowest server takes.",
        format_secs(start.elapsed())
    );
    println!();
    println!("What to notice:");
    println!("  - Every .await is the end of one callback and the start of the next;");
    println!("    the reactor still calls them all, one at a time, on one thread.");
    println!("  - A waker is a callback too: it puts its task back on the queue, and");
    println!("    from another thread it goes through the reactor's wake-up.");
    println!("  - The chunk lines interleave: the downloads waited at the same time,");
    println!("    each one an async block that reads like blocking code.");
    ExitCode::SUCCESS
}

/// Two tasks, each awaiting the reactor's timers, print in turn.
fn taking_turns(runtime: &Runtime) -> Result<(), Failure> {
    let tick = Duration::from_millis(50);
    let mut tasks = Vec::new();
    for (name, pause) in [("A", tick * 2), ("B", tick * 3)] {
        let rt = runtime.clone();
        tasks.push(runtime.spawn(async move {
            for step in 1..=2 {
                rt.sleep(pause).await?;
                println!(
                    "  task {name}: step {step}, after a pause of {}",
                    format_secs(pause)
                );
            }
            Ok::<_, Failure>(())
        }));
    }
    runtime.block_on(async move {
        for task in tasks {
            task.await??;
        }
        println!("  Both tasks waited at the same time; neither blocked the other.");
        Ok(())
    })?
}

/// A thread sends a value through a channel; the task waiting for it is
/// woken from that thread, and runs on the reactor's.
fn another_thread(runtime: &Runtime) -> Result<(), Failure> {
    let (sender, receiver) = futures::channel::oneshot::channel::<&str>();
    let reactor_thread = std::thread::current().id();
    let helper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        let _ = sender.send("a poem from another thread");
    });
    let got = runtime.block_on(async move {
        println!("  The task waits; the reactor blocks in its wait.");
        let poem = receiver.await;
        let here = std::thread::current().id() == reactor_thread;
        (poem, here)
    })?;
    let _ = helper.join();
    match got {
        (Ok(poem), true) => {
            println!("  Woken with {poem:?}, and running on the reactor's thread.");
            Ok(())
        }
        (Ok(_), false) => Err(Failure::msg("the task ran on the wrong thread")),
        (Err(cancelled), _) => Err(Failure::new(cancelled)),
    }
}

/// A panic in one task fails its deferred only; an `async` block that
/// fails before its first `.await` still gives a deferred.
fn failures(runtime: &Runtime) -> Result<(), Failure> {
    let rt = runtime.clone();
    let broken = runtime.spawn(async move {
        rt.sleep(Duration::from_millis(10)).await?;
        let poems: Vec<&str> = Vec::new();
        Ok::<_, Failure>(poems[0].len()) // out of bounds: a panic
    });
    let early = Rc::new(std::cell::Cell::new(false));
    let seen = Rc::clone(&early);
    let rt = runtime.clone();
    let parse = runtime.inline_callbacks(async move {
        let count: u32 = "many".parse()?; // fails before any .await
        rt.sleep(Duration::from_millis(10)).await?;
        Ok(count)
    });
    let parse = parse.add_errback(move |failure: Failure| {
        seen.set(true);
        println!("  inline_callbacks gave a deferred that had failed already: {failure}");
        Ok(0)
    });
    if !early.get() {
        return Err(Failure::msg("the early failure did not arrive at once"));
    }
    let rt = runtime.clone();
    runtime.block_on(async move {
        match broken.await {
            Err(failure) => println!("  The panicking task's deferred failed: {failure}"),
            Ok(_) => println!("  The panicking task did not fail?"),
        }
        let _ = parse.await;
        rt.sleep(Duration::from_millis(1)).await?;
        println!("  The reactor and the other tasks went on.");
        Ok(())
    })?
}
