//! Exercise 2 of part 18: a list of lists. Each inner list is itself a
//! deferred, so it can be a member of an outer list, which fires once
//! both inner lists have.
//!
//! ```text
//! cargo run -p part-18 --example part18-ex2-nested
//! ```

use part_07::deferred;
use part_18::{DeferredList, ListOptions, ListResult, pairs};

// ANCHOR: nested
fn main() {
    let (a1, fire_a1) = deferred::<&str>();
    let (a2, fire_a2) = deferred::<&str>();
    let (b1, fire_b1) = deferred::<&str>();
    let plain = ListOptions::default();
    let morning = DeferredList::new(vec![a1, a2], plain).into_deferred();
    let evening = DeferredList::new(vec![b1], plain).into_deferred();
    let _ = DeferredList::new(vec![morning, evening], plain)
        .into_deferred()
        .add_callback(|outer: ListResult<ListResult<&str>>| {
            println!("The outer list fires:");
            for (index, inner) in outer.into_all().unwrap_or_default().into_iter().enumerate() {
                match inner {
                    Ok(inner) => {
                        let all = inner.into_all().unwrap_or_default();
                        println!("  inner list {index}: {}", pairs(&all));
                    }
                    Err(failure) => println!("  inner list {index} failed: {failure}"),
                }
            }
        });
    println!("Firing b1 (the evening list is complete).");
    let _ = fire_b1.callback("evening poem");
    println!("Firing a2.");
    let _ = fire_a2.callback("second morning poem");
    println!("Firing a1 (the morning list is complete, and so the outer one).");
    let _ = fire_a1.callback("first morning poem");
}
// ANCHOR_END: nested
