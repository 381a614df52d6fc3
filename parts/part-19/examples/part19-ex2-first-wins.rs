//! Exercise 2 of part 19: ask three replicas for the same answer, take the
//! first, and withdraw the other two questions. A deferred list with
//! `fire_on_one_callback` finds the winner; cancelling the losers stops
//! their timed calls, so they never answer.
//!
//! ```text
//! cargo run -p part-19 --example part19-ex2-first-wins
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, DelayedCall, Reactor, VirtualClock};
use part_07::{CancelHandle, Deferred, Trigger};
use part_18::{DeferredList, ListOptions, ListResult};

/// A replica that answers after `secs` seconds, unless cancelled.
fn ask(reactor: &Reactor, name: &'static str, secs: u64) -> Deferred<&'static str> {
    let timed_call: Rc<Cell<Option<DelayedCall>>> = Rc::default();
    let (d, trigger) = Deferred::with_canceller({
        let timed_call = Rc::clone(&timed_call);
        move |_: &Trigger<&'static str>| {
            if let Some(call) = timed_call.take() {
                let _ = call.cancel();
                println!("  {name}: question withdrawn");
            }
        }
    });
    let call = reactor.call_later(Duration::from_secs(secs), move || {
        println!("  {name} answers after {secs} s");
        let _ = trigger.callback(name);
    });
    timed_call.set(Some(call));
    d
}

// ANCHOR: first_wins
/// The first answer; the others are cancelled as soon as it is known.
fn first_answer(reactor: &Reactor) -> Deferred<()> {
    let replicas = vec![
        ask(reactor, "replica A", 3),
        ask(reactor, "replica B", 1),
        ask(reactor, "replica C", 2),
    ];
    let handles: Vec<CancelHandle> = replicas.iter().map(Deferred::cancel_handle).collect();
    let options = ListOptions {
        fire_on_one_callback: true,
        consume_errors: true,
        ..ListOptions::default()
    };
    DeferredList::new(replicas, options)
        .into_deferred()
        .add_callback(move |result: ListResult<&'static str>| {
            if let ListResult::First { value, index } = result {
                println!("The list fires with {value} (member {index}); cancelling the others");
                for (i, handle) in handles.iter().enumerate() {
                    if i != index {
                        handle.cancel();
                    }
                }
            }
        })
}
// ANCHOR_END: first_wins

fn main() -> ExitCode {
    let result = Reactor::with(BackendKind::Mio, VirtualClock::new())
        .map_err(|e| e.to_string())
        .and_then(|reactor| {
            let _ = first_answer(&reactor);
            let stopper = reactor.clone();
            let _ = reactor.call_later(Duration::from_secs(10), move || stopper.stop());
            reactor.run().map_err(|e| e.to_string())
        });
    match result {
        Ok(()) => {
            println!("Done: only one replica answered.");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
