//! Part 20, exercise 1: the poems in the order given on the command line.
//!
//! The main process still takes messages in the order they come, but it
//! holds a poem that came early until every task before it is over (its
//! poem printed, or its worker down without one).
//!
//! `cargo run -p part-20 --example part20-ex1-in-order`

use std::time::Duration;

use part_02::demo::DemoServers;
use part_02::{Address, ServerOptions};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_17::Runtime;
use part_20::client::{Message, get_poetry};
use part_20::{mailbox, spawn_monitor};

// ANCHOR: in_order
/// Downloads every task's poem, one worker each, and prints the poems in
/// task order. Returns the tasks whose poems were printed, in the order
/// they were.
pub async fn in_order(runtime: Runtime, tasks: Vec<Task>, printer: Printer) -> Vec<usize> {
    let (me, mut mailbox) = mailbox::<Message>();
    for task in &tasks {
        let worker = get_poetry(runtime.clone(), task.clone(), me.clone(), false);
        spawn_monitor(&runtime, task.number, &me, worker);
    }
    // Each task's slot: `None` while it runs, then its poem, if any.
    let mut slots: Vec<Option<Option<Vec<u8>>>> = vec![None; tasks.len()];
    let (mut next, mut printed, mut running) = (0, Vec::new(), tasks.len());
    while running > 0 {
        let Some(message) = mailbox.recv().await else {
            break;
        };
        match message {
            Message::Poem { who, poem } => {
                printer.out(&format!("Task {who}: poem arrived"));
                slots[who - 1] = Some(Some(poem));
            }
            Message::Down(down) => {
                running -= 1;
                if !down.reason.is_normal() {
                    printer.err(&format!("Task {} down: {}", down.who, down.reason));
                    slots[down.who - 1] = Some(None);
                }
            }
        }
        // Print every poem whose turn has come.
        while let Some(Some(slot)) = slots.get(next) {
            if let Some(poem) = slot {
                printer.out(&format!(
                    "  printing task {}'s poem, {} bytes",
                    next + 1,
                    poem.len()
                ));
                printed.push(next + 1);
            }
            next += 1;
        }
    }
    printed
}
// ANCHOR_END: in_order

fn main() {
    let pacing = ServerOptions {
        num_bytes: 40,
        delay: Duration::from_millis(50),
    };
    let servers = DemoServers::start(3, pacing).expect("three servers");
    let sockets = servers.sockets();
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();
    let printer = Printer::new(|_, line| {
        if !line.contains(" bytes of poetry from ") {
            println!("{line}");
        }
    });
    for (name, poem) in servers.poems() {
        println!("serving {name}, {} bytes", poem.len());
    }
    let tasks = Task::numbered(&addresses, &sockets, &printer);
    let runtime = Runtime::new(&Reactor::new().expect("a reactor"));
    let printed = runtime
        .block_on(in_order(runtime.clone(), tasks, printer))
        .expect("the main process");
    println!("printed in the order {printed:?}");
}
