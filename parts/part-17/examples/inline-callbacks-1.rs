//! Part 17, `inline-callbacks-1`: callbacks written as one `async` block.
//!
//! The block reads top to bottom, and each `.await` is where a callback
//! would have ended and the next begun: the runtime stops the block there
//! and goes on with it when the deferred it awaits fires. A value that is
//! ready (a deferred fired already) comes straight back; a deferred fired
//! later by a timed call pauses the block until then; a deferred that
//! fails gives its failure at the `.await`, where an ordinary `match`
//! handles it. [`Runtime::inline_callbacks`] turns the block into a
//! deferred, as Twisted's `inlineCallbacks` decorator does.
//!
//! `cargo run -p part-17 --example inline-callbacks-1`

use std::process::ExitCode;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Failure, deferred, succeed};
use part_17::Runtime;

/// How long each timed call waits before it fires its deferred.
const DELAY: Duration = Duration::from_millis(300);

// ANCHOR: callbacks
/// Four callbacks, with three waits between them.
async fn my_callbacks(reactor: Reactor) -> Result<(), Failure> {
    println!("first callback");
    let result = succeed(1).await?; // fired already: comes right back

    println!("second callback got {result}");
    let (d, trigger) = deferred();
    reactor.call_later(DELAY, move || trigger.callback(2));
    let result = d.await?; // pauses the block until the deferred fires

    println!("third callback got {result}");
    let (d, trigger) = deferred::<u32>();
    reactor.call_later(DELAY, move || trigger.errback(Failure::msg("3")));
    let failure = match d.await {
        Ok(value) => Failure::msg(format!("unexpected {value}")),
        Err(failure) => failure, // the deferred's failure, as a value
    };

    println!("fourth callback got {failure}");
    reactor.stop()?;
    Ok(())
}
// ANCHOR_END: callbacks

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    // ANCHOR: main
    let runtime = Runtime::new(&reactor); // kept until the end: it owns the task
    let (tasks, handle) = (runtime.clone(), reactor.clone());
    reactor.call_when_running(move || {
        let _done = tasks.inline_callbacks(my_callbacks(handle));
    });
    // ANCHOR_END: main
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
