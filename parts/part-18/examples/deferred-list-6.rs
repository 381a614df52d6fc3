//! `deferred-list-6`: one member fails, and the list does not consume the
//! failure. The list fires all the same, but the failure stays in d2's own
//! chain, where nothing handles it: it is reported when d2 goes away.
//!
//! ```text
//! cargo run -p part-18 --example deferred-list-6
//! ```

use part_07::{Failure, deferred};
use part_18::{DeferredList, ListOptions, ListResult, pairs};

// ANCHOR: example
fn got_results(result: ListResult<&'static str>) {
    if let ListResult::All(all) = result {
        println!("We got: {}", pairs(&all));
    }
}

fn main() {
    let (d1, fire_d1) = deferred();
    let (d2, fire_d2) = deferred();
    let list = DeferredList::new(vec![d1, d2], ListOptions::default()).into_deferred();
    let _ = list.add_callback(got_results);
    println!("Firing d1.");
    let _ = fire_d1.callback("d1 result");
    println!("Firing d2 with errback.");
    let _ = fire_d2.errback(Failure::msg("d2 failure"));
    // The last handle on d2's chain goes here, with the failure still in it.
    drop(fire_d2);
}
// ANCHOR_END: example
