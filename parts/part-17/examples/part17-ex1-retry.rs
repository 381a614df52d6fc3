//! Part 17, exercise 1: retry with backoff, as straight-line code.
//!
//! `retry` calls `attempt` (which starts some work and returns its
//! deferred), awaits it, and on a failure waits and tries again, doubling
//! the wait each time, up to `tries` attempts; it gives back the first
//! result, or the last failure. With callbacks this is a recursive dance
//! of errbacks that schedule calls that add errbacks; with `.await` it is
//! a loop.
//!
//! `cargo run -p part-17 --example part17-ex1-retry`

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure, fail, succeed};
use part_17::Runtime;

// ANCHOR: retry
/// Tries `attempt` up to `tries` times (at least once), waiting `first`,
/// then twice as long, and so on, between tries.
pub async fn retry<T: 'static>(
    runtime: &Runtime,
    tries: u32,
    first: Duration,
    mut attempt: impl FnMut() -> Deferred<T>,
) -> Result<T, Failure> {
    let mut wait = first;
    let mut tried = 1;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(failure) if tried >= tries => return Err(failure),
            Err(_) => {
                runtime.sleep(wait).await?;
                wait *= 2;
                tried += 1;
            }
        }
    }
}
// ANCHOR_END: retry

fn main() {
    // A virtual clock: the waits take no real time, and we can see them.
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor");
    let runtime = Runtime::new(&reactor);
    let calls = Rc::new(Cell::new(0));
    let (rt, clock, counted) = (runtime.clone(), reactor.clone(), Rc::clone(&calls));
    let outcome = runtime.block_on(async move {
        retry(&rt, 5, Duration::from_secs(1), || {
            counted.set(counted.get() + 1);
            println!("attempt {} at {:?}", counted.get(), clock.now());
            if counted.get() < 4 {
                fail(Failure::msg("the server is busy"))
            } else {
                succeed("a poem")
            }
        })
        .await
    });
    match outcome {
        Ok(Ok(poem)) => println!("got {poem:?} after {} attempts", calls.get()),
        Ok(Err(failure)) => println!("gave up: {failure}"),
        Err(failure) => println!("the run failed: {failure}"),
    }
}
