//! `defer-cancel-7`: a canceller that fires the deferred itself, with a failure
//! of its choosing: the errback gets that failure instead of
//! `CancelledError`.
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-7
//! ```

use part_07::{Deferred, Failure, Trigger};

// ANCHOR: example
/// Lower-level code's side: what to do if the result is no longer wanted.
fn canceller(trigger: &Trigger<&'static str>) {
    println!("I need to cancel this deferred: {trigger:?}");
    println!("Firing the deferred with an error");
    let _ = trigger.errback(Failure::msg("error!"));
}

fn callback(result: &str) {
    println!("callback got: {result}");
}

fn errback(failure: Failure) {
    println!("errback got: {failure}");
}

fn main() {
    // Made by the lower-level code, with its canceller...
    let (d, trigger) = Deferred::with_canceller(canceller);
    // ...and given callbacks by the higher-level code.
    let d = d.add_callbacks(callback, errback);
    d.cancel();
    println!("done");
    drop(trigger);
}
// ANCHOR_END: example
