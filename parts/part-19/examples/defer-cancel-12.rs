//! `defer-cancel-12`: cancelling an outer deferred that is paused on an
//! inner one (a callback returned the inner deferred) cancels the inner
//! one: the inner canceller runs, not the outer, and the outer chain goes
//! on with the `CancelledError`.
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-12
//! ```

use part_07::{Deferred, Failure, Trigger};

// ANCHOR: example
fn cancel_outer(_trigger: &Trigger<&'static str>) {
    println!("outer cancel callback.");
}

fn cancel_inner(_trigger: &Trigger<&'static str>) {
    println!("inner cancel callback.");
}

fn second_outer_callback(result: &str) {
    println!("second outer callback got: {result}");
}

fn outer_errback(failure: Failure) {
    println!("outer errback got: {failure}");
}

fn main() {
    let (outer_d, fire_outer) = Deferred::with_canceller(cancel_outer);
    let (inner_d, _fire_inner) = Deferred::with_canceller(cancel_inner);
    let outer_d = outer_d
        .add_callback(move |_result: &str| {
            println!("first outer callback, returning inner deferred");
            inner_d
        })
        .add_callbacks(second_outer_callback, outer_errback);
    let _ = fire_outer.callback("result");
    // The outer deferred has fired, but it is paused, waiting for the
    // inner one.
    println!("canceling outer deferred.");
    outer_d.cancel();
    println!("done");
}
// ANCHOR_END: example
