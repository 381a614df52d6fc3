//! Part 7, `defer-3`: a deferred fired with a plain error, not a
//! `Failure`.
//!
//! `errback` takes anything that converts into a `Failure`, and every
//! `std::error::Error` does: the error is wrapped on the way in, so the
//! errback is handed a `Failure`, which prints its error's type, its
//! message and the line where it became a failure.
//!
//! `cargo run -p part-07 --example defer-3`

use part_07::{Failure, deferred};

// ANCHOR: error
/// An error of our own: any `std::error::Error` will do.
#[derive(Debug, thiserror::Error)]
#[error("I have failed.")]
struct Failed;
// ANCHOR_END: error

/// What to do with a poem, once there is one.
fn got_poem(poem: String) {
    println!("Your poem is served:");
    println!("{poem}");
}

// ANCHOR: errback
/// What to do if there will be no poem: show what we were given, and say so.
fn poem_failed(failure: Failure) {
    println!("{}", std::any::type_name_of_val(&failure));
    println!("{failure}");
    println!("No poetry for you.");
}
// ANCHOR_END: errback

fn main() {
    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(got_poem, poem_failed);
    // A plain error, not a Failure: `errback` wraps it, noting this line.
    trigger
        .errback(Failed)
        .expect("a new deferred has not fired yet");
    // ANCHOR_END: main
}
