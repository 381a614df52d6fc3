//! `defer-unhandled`: a deferred whose chain ends in a failure says so when
//! its last handle is dropped.
//!
//! The callback fails, and no errback follows it. `main` prints "Finished"
//! and ends; as it ends, Rust drops the deferred and its trigger, and the
//! last drop reports the failure (`Unhandled error in Deferred: …`, on
//! standard error), after everything the program printed. Twisted reports
//! it when the deferred is garbage-collected, usually at exit too.
//!
//! `cargo run -p part-09 --example defer-unhandled`

use part_07::{Failure, deferred};

/// A callback with a bug.
fn callback(_result: &str) -> Result<(), Failure> {
    Err(Failure::msg("oops"))
}

fn main() {
    // ANCHOR: unhandled
    let (d, trigger) = deferred::<&str>();
    let _d = d.add_callback(callback);
    trigger
        .callback("Here is your result.")
        .expect("a new deferred has not fired yet");
    println!("Finished");
    // Here `_d` and `trigger` go out of scope: the last of them reports.
    // ANCHOR_END: unhandled
}
