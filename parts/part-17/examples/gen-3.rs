//! Part 17, `gen-3`: two generators taking turns.
//!
//! Several generators can be stopped at once, each with its own local
//! variables, and a loop can go round them, running each one step at a
//! time, exactly as a reactor goes round its callbacks. Each generator here
//! is a [`Resumable`] of our own (an `async` body stopped at its yields);
//! the loop resumes them in turn and drops each one once it has finished.
//!
//! `cargo run -p part-17 --example gen-3`

use std::convert::Infallible;

use part_17::{Co, Resumable, State};

/// A generator that takes nothing in and never fails.
type Generator = Resumable<u32, (), Infallible, ()>;

// ANCHOR: generators
/// Yields 1, 2, 3.
fn my_generator() -> Generator {
    Resumable::new(|co: Co<u32, (), Infallible>| async move {
        for n in [1, 2, 3] {
            let _ = co.yield_(n).await;
        }
    })
}

/// Yields 10, 20, 30, 40.
fn my_other_generator() -> Generator {
    Resumable::new(|co: Co<u32, (), Infallible>| async move {
        for n in [10, 20, 30, 40] {
            let _ = co.yield_(n).await;
        }
    })
}
// ANCHOR_END: generators

fn main() {
    // ANCHOR: main
    let mut generators = vec![my_generator(), my_other_generator()];
    while !generators.is_empty() {
        generators.retain_mut(|generator| match generator.resume(()) {
            State::Yielded(n) => {
                println!("{n}");
                true
            }
            State::Complete(()) => false,
        });
    }
    // ANCHOR_END: main
}
