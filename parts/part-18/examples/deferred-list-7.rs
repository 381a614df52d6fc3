//! `deferred-list-7`: the same failure as in `deferred-list-6`, handled by
//! an errback added to d2 after the list's own step: nothing is reported.
//!
//! ```text
//! cargo run -p part-18 --example deferred-list-7
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
    let (list, mut members) = DeferredList::new(vec![d1, d2], ListOptions::default()).into_parts();
    // d2's chain goes on after the list's step: handle its failure there.
    if let Some(d2) = members.pop() {
        let _ = d2.add_errback(|_failure: Failure| Ok(None));
    }
    let _ = list.add_callback(got_results);
    println!("Firing d1.");
    let _ = fire_d1.callback("d1 result");
    println!("Firing d2 with errback.");
    let _ = fire_d2.errback(Failure::msg("d2 failure"));
    drop(fire_d2);
}
// ANCHOR_END: example
