//! `defer-cancel-1`: a deferred cancelled before it fired, with no errback: the
//! callback never runs, and the cancellation is reported as an unhandled
//! failure when the deferred goes away, after `done`.
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-1
//! ```

use part_07::deferred;

// ANCHOR: example
fn callback(result: &str) {
    println!("callback got: {result}");
}

fn main() {
    let (d, _trigger) = deferred::<&str>();
    let d = d.add_callback(callback);
    d.cancel();
    println!("done");
}
// ANCHOR_END: example
