//! `defer-cancel-2`: the same cancellation, with an errback: it gets the
//! `CancelledError`, and nothing is left unhandled.
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-2
//! ```

use part_07::{Failure, deferred};

// ANCHOR: example
fn callback(result: &str) {
    println!("callback got: {result}");
}

fn errback(failure: Failure) {
    println!("errback got: {failure}");
}

fn main() {
    let (d, _trigger) = deferred::<&str>();
    let d = d.add_callbacks(callback, errback);
    d.cancel();
    println!("done");
}
// ANCHOR_END: example
