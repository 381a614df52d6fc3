//! `defer-11`: a deferred that fires before anyone adds a callback.
//!
//! Two scenes:
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
use part_07::{Failure, deferred};

/// Shows a deferred fired before its callbacks are added, then the same
/// with `pause` and `unpause` holding the callbacks back.
#[derive(Debug, Parser)]
#[command(name = "defer-11")]
struct Args {}

fn callback_1(result: i32) -> Result<i32, Failure> {
    println!("callback_1 got {result}");
    Ok(1)
}

fn callback_2(result: i32) -> Result<i32, Failure> {
    println!("callback_2 got {result}");
    Ok(2)
}

fn callback_3(result: i32) -> Result<i32, Failure> {
    println!("callback_3 got {result}");
    Ok(3)
}

// ANCHOR: fired_first
/// Scene 1: fire, then add callbacks. Each runs inside the call that adds it.
fn fired_first() {
    let (d, trigger) = deferred::<i32>();
    println!("Firing empty deferred.");
    trigger.callback(0).expect("fired once");
    println!("Adding first callback.");
    let d = d.add_callback(callback_1);
    println!("Adding second callback.");
    let d = d.add_callback(callback_2);
    println!("Adding third callback.");
    let _d = d.add_callback(callback_3);
}
// ANCHOR_END: fired_first

// ANCHOR: paused
/// Scene 2: pause, fire, add callbacks: nothing runs until `unpause`.
fn paused() {
    let (d, trigger) = deferred::<i32>();
    println!("Pausing, then firing deferred.");
    d.pause();
    trigger.callback(0).expect("fired once");
    println!("Adding callbacks.");
    let d = d
        .add_callback(callback_1)
        .add_callback(callback_2)
        .add_callback(callback_3);
    println!("Unpausing the deferred.");
    d.unpause();
}
// ANCHOR_END: paused

fn main() {
    let Args {} = Args::parse();
    println!("A deferred can fire before anyone adds a callback to it. We fire one");
    println!("with nothing on its chain, then add three callbacks:");
    println!();
    fired_first();
    println!();
    println!("Each callback ran the moment it was added, with the result so far.");
    println!();
    println!("The same again, but the deferred is paused before it fires:");
    println!();
    paused();
}
