//! Part 7, exercise 1: a deferred that fires itself after a delay.
//!
//! `delay(reactor, after, value)` returns a deferred that a timed call of
//! the reactor fires with `value`, `after` from now: the smallest useful
//! piece of asynchronous code that hands out a deferred (Twisted calls it
//! `deferLater`). The program asks for three values, with delays in
//! the opposite order to the asking, and prints each as it arrives: they
//! come in the order of their delays. The last one stops the reactor.
//!
//! `cargo run -p part-07 --example part07-ex1-delay`

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Deferred, Failure, deferred};

// ANCHOR: solution
/// A deferred that the reactor fires with `value`, `after` from now.
pub fn delay<T: 'static>(reactor: &Reactor, after: Duration, value: T) -> Deferred<T> {
    let (d, trigger) = deferred();
    // Nobody else holds this trigger, so the deferred cannot have fired
    // before the timed call: `callback` cannot fail, but if it did, the
    // reactor would report it.
    reactor.call_later(after, move || trigger.callback(value));
    d
}
// ANCHOR_END: solution

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let asked = [("poem A", 300), ("poem B", 200), ("poem C", 100)];
    let left = Rc::new(Cell::new(asked.len()));
    for (what, ms) in asked {
        println!("asking for {what}, due in {ms} ms");
        let (handle, left) = (reactor.clone(), Rc::clone(&left));
        let _end = delay(&reactor, Duration::from_millis(ms), what).add_callback(
            move |what: &str| -> Result<(), Failure> {
                let at = handle.now().as_secs_f64();
                println!("{at:.1} s  got {what}");
                left.set(left.get() - 1);
                if left.get() == 0 {
                    handle.stop()?;
                }
                Ok(())
            },
        );
    }
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!("all three arrived");
    ExitCode::SUCCESS
}
