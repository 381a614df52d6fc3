//! `defer-cancel-4`: cancelled first, fired afterwards: the errback has run
//! with the `CancelledError`, and the late firing is quietly ignored (it
//! is not an `AlreadyCalled` error).
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-4
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
    let (d, trigger) = deferred::<&str>();
    let d = d.add_callbacks(callback, errback);
    d.cancel();
    if let Err(error) = trigger.callback("result") {
        println!("firing after the cancel failed: {error}");
    }
    println!("done");
}
// ANCHOR_END: example
