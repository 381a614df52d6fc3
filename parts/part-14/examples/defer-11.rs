//! `defer-11`: a deferred that fires before anyone adds a callback.
//!
//! Two short scenes, each printing a line before and after every step so
//! that the order shows what ran when:
//!
//! 1. the deferred is fired first, and each callback added afterwards runs
//!    at once, inside `add_callback`, with the result the chain has reached;
//! 2. the same, but the deferred is paused first: the callbacks wait, and
//!    run together when it is unpaused.
//!
//! ```text
//! cargo run -p part-14 --example defer-11
//! ```

use clap::Parser;
use part_07::deferred;

/// Shows a deferred fired before its callbacks are added, then the same
/// with `pause` and `unpause` holding the callbacks back.
#[derive(Debug, Parser)]
#[command(name = "defer-11")]
struct Args {}

// ANCHOR: fired_first
/// Scene 1: fire, then add callbacks. Each runs inside the call that adds it.
fn fired_first() {
    println!("Scene 1: fire first, add callbacks afterwards.");
    let (d, trigger) = deferred::<u32>();
    println!("  firing the deferred with 1");
    let _ = trigger.callback(1);
    println!("  adding the first callback");
    let d = d.add_callback(|n: u32| {
        println!("    first callback got {n}, returns {}", n + 1);
        Ok(n + 1)
    });
    println!("  the first callback has returned; adding the second");
    let d = d.add_callback(|n: u32| {
        println!("    second callback got {n}, returns {}", n * 10);
        Ok(n * 10)
    });
    println!("  the second callback has returned; adding the last");
    let _ = d.add_callback(|n: u32| println!("    last callback got {n}"));
    println!("  done: every callback ran as it was added.");
}
// ANCHOR_END: fired_first

// ANCHOR: paused
/// Scene 2: pause, fire, add callbacks: nothing runs until `unpause`.
fn paused() {
    println!("Scene 2: pause, fire, add callbacks, unpause.");
    let (d, trigger) = deferred::<u32>();
    println!("  pausing the deferred");
    d.pause();
    println!("  firing the deferred with 1");
    let _ = trigger.callback(1);
    let d = d.add_callback(|n: u32| {
        println!("    first callback got {n}, returns {}", n + 1);
        Ok(n + 1)
    });
    println!("  first callback added (it has not run)");
    let d = d.add_callback(|n: u32| println!("    second callback got {n}"));
    println!("  second callback added (it has not run either)");
    println!("  unpausing");
    d.unpause();
    println!("  unpaused: both callbacks have run.");
}
// ANCHOR_END: paused

fn main() {
    let Args {} = Args::parse();
    fired_first();
    println!();
    paused();
}
