//! Part 20, exercise 2: all or nothing, as Erlang's links do it.
//!
//! When one worker fails, the main process kills every other: a poem set
//! with a hole in it is worth nothing here, and the slow downloads still
//! under way would be wasted. Each killed worker still goes down, with the
//! reason `killed`, so the main process knows when all of them are gone.
//!
//! `cargo run -p part-20 --example part20-ex2-links`

use std::time::{Duration, Instant};

use part_02::demo::{DemoServers, closed_port};
use part_02::{Address, FetchError, ServerOptions};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_17::Runtime;
use part_20::client::{Message, get_poetry};
use part_20::{Process, Reason, mailbox, spawn_monitor};

// ANCHOR: links
/// Downloads every task's poem, one worker each, and kills all the others
/// as soon as one fails. Returns how each worker ended, in task order.
pub async fn all_or_nothing(
    runtime: Runtime,
    tasks: Vec<Task>,
    printer: Printer,
) -> Vec<Reason<FetchError>> {
    let (me, mut mailbox) = mailbox::<Message>();
    let workers: Vec<Process> = tasks
        .iter()
        .map(|task| {
            let worker = get_poetry(runtime.clone(), task.clone(), me.clone(), false);
            spawn_monitor(&runtime, task.number, &me, worker)
        })
        .collect();
    let mut reasons: Vec<Option<Reason<FetchError>>> = tasks.iter().map(|_| None).collect();
    let mut running = tasks.len();
    while running > 0 {
        let Some(Message::Down(down)) = mailbox.recv().await else {
            continue; // a poem: kept by nobody, in this exercise
        };
        running -= 1;
        printer.out(&format!("Task {} down: {}", down.who, down.reason));
        if matches!(down.reason, Reason::Error(_) | Reason::Panicked(_)) {
            for worker in &workers {
                worker.kill(); // nothing happens to one that has ended
            }
        }
        reasons[down.who - 1] = Some(down.reason);
    }
    reasons
        .into_iter()
        .map(|reason| reason.unwrap_or(Reason::Killed))
        .collect()
}
// ANCHOR_END: links

fn main() {
    let pacing = ServerOptions {
        num_bytes: 10,
        delay: Duration::from_millis(100),
    };
    let servers = DemoServers::start(2, pacing).expect("two servers");
    let sockets = servers.sockets();
    let addrs = [sockets[0], closed_port().expect("a free port"), sockets[1]];
    let addresses: Vec<Address> = addrs.iter().copied().map(Address::from).collect();
    let printer = Printer::new(|_, line| {
        if !line.contains(" bytes of poetry from ") {
            println!("{line}");
        }
    });
    let tasks = Task::numbered(&addresses, &addrs, &printer);
    let runtime = Runtime::new(&Reactor::new().expect("a reactor"));
    let start = Instant::now();
    let reasons = runtime
        .block_on(all_or_nothing(runtime.clone(), tasks, printer))
        .expect("the main process");
    let killed = reasons
        .iter()
        .filter(|r| matches!(r, Reason::Killed))
        .count();
    println!(
        "{killed} workers killed; everything over in {} (the poems would take seconds)",
        if start.elapsed() < Duration::from_secs(1) {
            "under a second"
        } else {
            "a second or more"
        }
    );
}
