//! `deferred-list-1`: a list of no deferreds has fired already; a callback
//! added to it runs at once.
//!
//! ```text
//! cargo run -p part-18 --example deferred-list-1
//! ```

use part_07::Deferred;
use part_18::{DeferredList, ListOptions, ListResult, pairs};

// ANCHOR: example
fn got_results(result: ListResult<&'static str>) {
    if let ListResult::All(all) = result {
        println!("We got: {}", pairs(&all));
    }
}

fn main() {
    println!("Empty List.");
    let members: Vec<Deferred<&'static str>> = Vec::new();
    let list = DeferredList::new(members, ListOptions::default()).into_deferred();
    println!("Adding Callback.");
    let _ = list.add_callback(got_results);
}
// ANCHOR_END: example
