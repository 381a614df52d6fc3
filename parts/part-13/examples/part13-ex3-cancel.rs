//! Exercise 3 of part 13: cancel client 6.0's chain while it waits.
//!
//! The transformation server here accepts connections and never answers,
//! so the chain's outer deferred stays paused, waiting for `xform`'s. The
//! moment it is paused, the program cancels the *outer* deferred. What
//! does the chain end with: a `CancelledError`, or a poem? Why?
//!
//! ```text
//! cargo run -p part-13 --example part13-ex3-cancel
//! ```

use std::cell::RefCell;
use std::net::TcpListener;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_02::demo::DemoServers;
use part_02::{Address, ServerOptions};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::{CancelHandle, Failure};
use part_12::TransformProxy;
use part_13::{Step, get_transformed_poetry_told};

/// Cancels client 6.0's chain while it waits for a transformation server
/// that never answers.
#[derive(Debug, Parser)]
#[command(name = "part13-ex3-cancel")]
struct Args {}

/// What the chain ended with: the poem's first line, or the failure.
pub type Ending = Result<String, String>;

// ANCHOR: cancel
/// Runs the told chain against the poetry server at `task` and a silent
/// transformation server, cancelling the outer deferred as soon as it is
/// paused. Says each step through `say`; returns how the chain ended.
pub fn cancel_while_waiting(task: &Task, say: impl Fn(String) + 'static) -> Result<Ending, String> {
    let silent = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let reactor = Reactor::new().map_err(|e| e.to_string())?;
    let proxy = TransformProxy::new(&reactor, silent.local_addr().map_err(|e| e.to_string())?);
    let handle: Rc<RefCell<Option<CancelHandle>>> = Rc::default();
    let to_cancel = Rc::clone(&handle);
    let tell = move |step: Step| {
        say(format!("{step:?}"));
        if let Step::Paused { .. } = step
            && let Some(outer) = to_cancel.borrow().as_ref()
        {
            say("cancelling the outer deferred".into());
            outer.cancel();
        }
    };
    let outer = get_transformed_poetry_told(&reactor, task, &proxy, "cummingsify", tell);
    *handle.borrow_mut() = Some(outer.cancel_handle());
    let ending: Rc<RefCell<Option<Ending>>> = Rc::default();
    let (keep, stop) = (Rc::clone(&ending), reactor.clone());
    let _ = outer.add_both(move |outcome: Result<String, Failure>| {
        let first = outcome.map(|poem| part_13::told::first_line(&poem));
        *keep.borrow_mut() = Some(first.map_err(|f| f.to_string()));
        let _ = stop.stop();
    });
    reactor.run().map_err(|e| e.to_string())?;
    drop(silent);
    ending
        .take()
        .ok_or_else(|| "the chain never ended".to_string())
}
// ANCHOR_END: cancel

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let pacing = ServerOptions {
        num_bytes: 200,
        delay: Duration::from_millis(20),
    };
    let servers = match DemoServers::start(1, pacing) {
        Ok(servers) => servers,
        Err(error) => {
            eprintln!("error: cannot start a poetry server: {error}");
            return ExitCode::FAILURE;
        }
    };
    let addr = servers.sockets()[0];
    let tasks = Task::numbered(&[Address::from(addr)], &[addr], &Printer::new(|_, _| {}));
    match cancel_while_waiting(&tasks[0], |line| println!("{line}")) {
        Ok(Ok(first_line)) => println!("the chain ended with a poem: {first_line:?}"),
        Ok(Err(failure)) => println!("the chain ended with a failure: {failure}"),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
