//! `deferred-list-5`: one member fails, and the list consumes the failure:
//! the list fires with a success and a failure, and nothing is reported.
//!
//! ```text
//! cargo run -p part-18 --example deferred-list-5
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
    let options = ListOptions {
        consume_errors: true,
        ..ListOptions::default()
    };
    let list = DeferredList::new(vec![d1, d2], options).into_deferred();
    let _ = list.add_callback(got_results);
    println!("Firing d1.");
    let _ = fire_d1.callback("d1 result");
    println!("Firing d2 with errback.");
    let _ = fire_d2.errback(Failure::msg("d2 failure"));
}
// ANCHOR_END: example
