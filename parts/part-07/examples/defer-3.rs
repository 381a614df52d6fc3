//! Part 7, `defer-3`: a deferred fired with a plain error, not a `Failure`.
//!
//! `errback` takes anything that turns into a [`Failure`], and every type
//! that implements `std::error::Error` does. So we fire the deferred with
//! an error of our own, `HungUp`, and the errback receives a `Failure`
//! wrapping it: the error is still inside, of its own type, along with its
//! type's name and the place where it became a failure (the `errback`
//! call below).
//!
//! `cargo run -p part-07 --example defer-3`

use part_07::{Failure, deferred};

// ANCHOR: error
/// An error of our own: any `std::error::Error` will do.
#[derive(Debug, thiserror::Error)]
#[error("the server hung up after {bytes} bytes")]
struct HungUp {
    bytes: usize,
}
// ANCHOR_END: error

/// What to do with a poem, once there is one.
fn got_poem(poem: String) {
    println!("Your poem is served:");
    println!("{poem}");
}

// ANCHOR: errback
/// What to do if there will be no poem: say so, and show what we were given.
fn poem_failed(failure: Failure) {
    println!("No poetry for you.");
    println!("The errback was given a Failure, not a bare HungUp:");
    println!("  {failure}");
    println!("  type:      {}", failure.type_name());
    println!("  message:   {}", failure.message());
    println!("  raised at: {}", failure.location());
    if let Some(hung_up) = failure.downcast_ref::<HungUp>() {
        println!(
            "  and the HungUp is still inside: bytes = {}",
            hung_up.bytes
        );
    }
}
// ANCHOR_END: errback

fn main() {
    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(got_poem, poem_failed);

    // A plain error, not a Failure: `errback` wraps it, noting this line.
    trigger
        .errback(HungUp { bytes: 120 })
        .expect("a new deferred has not fired yet");

    println!("Finished");
    // ANCHOR_END: main
}
