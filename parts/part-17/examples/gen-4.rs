//! Part 17, `gen-4`: values sent in, an error thrown in.
//!
//! A callback in a deferred's chain does not only run when called: it is
//! given a result, or a failure. A generator can be given both too: the
//! value of a stopped `yield` is whatever the caller sends when it resumes
//! the generator, and the caller can instead throw an error in, which the
//! generator sees at the `yield`, and may handle. Here the generator is a
//! [`Resumable`] of ours: `resume(value)` is Python's `send`, `throw(error)`
//! its `throw`.
//!
//! `cargo run -p part-17 --example gen-4`

use part_17::{Co, Resumable, State};

/// The error thrown into the generator.
#[derive(Debug, thiserror::Error)]
#[error("malfunction")]
struct Malfunction;

// ANCHOR: generator
/// Says what it is sent, and recovers from a malfunction thrown in at its
/// third yield.
fn my_generator() -> Resumable<u32, u32, Malfunction, ()> {
    Resumable::new(|co: Co<u32, u32, Malfunction>| async move {
        println!("starting up");
        if let Ok(value) = co.yield_(1).await {
            println!("got: {value}");
        }
        if let Ok(value) = co.yield_(2).await {
            println!("got: {value}");
        }
        if let Err(Malfunction) = co.yield_(3).await {
            println!("malfunction!");
        }
        let _ = co.yield_(4).await;
        println!("done");
    })
}
// ANCHOR_END: generator

/// Prints what the generator yielded (it finishes only at the end).
fn show(state: State<u32, ()>) {
    if let State::Yielded(n) = state {
        println!("{n}");
    }
}

fn main() {
    // ANCHOR: main
    let mut generator = my_generator();
    show(generator.resume(0)); // start it: the value goes nowhere
    show(generator.resume(10)); // send 10
    show(generator.resume(20)); // send 20
    show(generator.throw(Malfunction)); // raise an error inside it
    let end = generator.resume(0);
    assert_eq!(end, State::Complete(()), "it has nothing left to yield");
    // ANCHOR_END: main
}
