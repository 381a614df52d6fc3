//! Exercise 1 of part 18: a list with `fire_on_one_callback` whose members
//! all fail. There is no first success to fire with, so the list waits for
//! every member and fires with all the outcomes.
//!
//! ```text
//! cargo run -p part-18 --example part18-ex1-no-winner
//! ```

use part_07::{Failure, deferred};
use part_18::{DeferredList, ListOptions, ListResult, pairs};

// ANCHOR: no_winner
fn main() {
    let (d1, fire_d1) = deferred::<&str>();
    let (d2, fire_d2) = deferred::<&str>();
    let options = ListOptions {
        fire_on_one_callback: true,
        consume_errors: true,
        ..ListOptions::default()
    };
    let list = DeferredList::new(vec![d1, d2], options).into_deferred();
    let _ = list.add_callback(|result: ListResult<&str>| match result {
        ListResult::First { value, index } => println!("first success: {value:?} from d{index}"),
        ListResult::All(all) => println!("no success; all outcomes: {}", pairs(&all)),
    });
    println!("Failing d2.");
    let _ = fire_d2.errback(Failure::msg("d2 failure"));
    println!("Failing d1.");
    let _ = fire_d1.errback(Failure::msg("d1 failure"));
}
// ANCHOR_END: no_winner
