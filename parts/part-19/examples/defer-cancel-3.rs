//! `defer-cancel-3`: fired first, cancelled afterwards: the cancel does nothing.
//!
//! ```text
//! cargo run -p part-19 --example defer-cancel-3
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
    let _ = trigger.callback("result");
    d.cancel();
    println!("done");
}
// ANCHOR_END: example
