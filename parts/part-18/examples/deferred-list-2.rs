//! `deferred-list-2`: a list of one deferred fires when that one does.
//!
//! ```text
//! cargo run -p part-18 --example deferred-list-2
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
    println!("One Deferred.");
    let (d1, fire_d1) = deferred();
    let list = DeferredList::new(vec![d1], ListOptions::default()).into_deferred();
    println!("Adding Callback.");
    let _ = list.add_callback(got_results);
    println!("Firing d1.");
    let _ = fire_d1.callback("d1 result");
}
// ANCHOR_END: example
