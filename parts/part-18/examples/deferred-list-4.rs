//! `deferred-list-4`: two deferreds, fired d2 first, then d1. The list
//! fires when the second has, and its outcomes are in the order the
//! deferreds were given: d1's, then d2's.
//!
//! ```text
//! cargo run -p part-18 --example deferred-list-4
//! ```

use part_07::deferred;
use part_18::{DeferredList, ListOptions, ListResult, pairs};

// ANCHOR: example
fn got_results(result: ListResult<&'static str>) {
    if let ListResult::All(all) = result {
        println!("We got: {}", pairs(&all));
    }
}

fn main() {
    println!("Two Deferreds.");
    let (d1, fire_d1) = deferred();
    let (d2, fire_d2) = deferred();
    let list = DeferredList::new(vec![d1, d2], ListOptions::default()).into_deferred();
    println!("Adding Callback.");
    let _ = list.add_callback(got_results);
    println!("Firing d2.");
    let _ = fire_d2.callback("d2 result");
    println!("Firing d1.");
    let _ = fire_d1.callback("d1 result");
}
// ANCHOR_END: example
