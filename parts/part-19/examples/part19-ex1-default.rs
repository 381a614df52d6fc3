//! Exercise 1 of part 19: a canceller that answers anyway. `get_poem`'s
//! canceller stops the timed call, then fires the deferred itself with a
//! short poem of its own, so a caller who cancels still gets a poem.
//!
//! ```text
//! cargo run -p part-19 --example part19-ex1-default
//! ```

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, DelayedCall, Reactor, VirtualClock};
use part_07::{Deferred, Failure, Trigger};

// ANCHOR: default
/// A poem five seconds later; cancelled before then, a short one at once.
fn get_poem(reactor: &Reactor) -> Deferred<&'static str> {
    let timed_call: Rc<Cell<Option<DelayedCall>>> = Rc::default();
    let (d, trigger) = Deferred::with_canceller({
        let timed_call = Rc::clone(&timed_call);
        move |trigger: &Trigger<&'static str>| {
            if let Some(call) = timed_call.take() {
                let _ = call.cancel();
            }
            println!("Cancelled: sending a short poem instead");
            let _ = trigger.callback("So much depends upon a red wheel barrow");
        }
    });
    let call = reactor.call_later(Duration::from_secs(5), move || {
        println!("Sending poem");
        let _ = trigger.callback("Once upon a midnight dreary");
    });
    timed_call.set(Some(call));
    d
}
// ANCHOR_END: default

fn run(reactor: &Reactor) -> Result<(), part_03::ReactorError> {
    let stopper = reactor.clone();
    let _ = reactor.call_later(Duration::from_secs(10), move || stopper.stop());
    let d = get_poem(reactor).add_callbacks(
        |poem: &str| println!("I got a poem: {poem}"),
        |failure: Failure| println!("get_poem failed: {failure}"),
    );
    let _ = reactor.call_later(Duration::from_secs(2), move || d.cancel());
    reactor.run()
}

fn main() -> ExitCode {
    let result = Reactor::with(BackendKind::Mio, VirtualClock::new())
        .map_err(|e| e.to_string())
        .and_then(|reactor| run(&reactor).map_err(|e| e.to_string()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
