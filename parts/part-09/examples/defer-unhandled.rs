//! `defer-unhandled`: a deferred whose chain ends in a failure says so when
//! its last handle is dropped, and not a moment before.
//!
//! The program's own lines go to standard output; part 7's report,
//! `Unhandled error in Deferred: …`, goes to standard error. Run it with both
//! on the terminal (or `2>&1`) to see where the report falls between them.
//! Then the same chain with an errback that handles the failure: no report.
//! Last, a chain left to the end of `main`: its report comes after
//! everything the program printed, as the handles go out of scope.

use part_07::{Failure, deferred};

/// What the chain is given: a poem, or nothing.
const EMPTY: &str = "";

/// The callback: a poem's first line, or a failure for an empty poem.
fn first_line(poem: &str) -> Result<String, Failure> {
    match poem.lines().next() {
        Some(line) => Ok(line.to_string()),
        None => Err(Failure::msg("the poem is empty")),
    }
}

fn main() {
    // ANCHOR: unhandled
    println!("1. A chain that ends in a failure");
    let (d, trigger) = deferred::<&str>();
    let d = d.add_callback(first_line);
    trigger.callback(EMPTY).expect("fired once");
    println!("   fired: the callback failed, and no errback follows it");
    println!("   dropping the deferred (the trigger still holds the chain)");
    drop(d);
    println!("   dropping the trigger, the last handle");
    drop(trigger);
    println!("   both dropped");
    // ANCHOR_END: unhandled
    println!();

    // ANCHOR: handled
    println!("2. The same chain, with an errback that handles the failure");
    let (d, trigger) = deferred::<&str>();
    let d = d.add_callback(first_line).add_errback(|failure| {
        println!("   errback: {}", failure.message());
        Ok("(no poem today)".to_string())
    });
    trigger.callback(EMPTY).expect("fired once");
    println!("   dropping the deferred and the trigger");
    drop((d, trigger));
    println!("   both dropped: nothing to report");
    // ANCHOR_END: handled
    println!();

    // ANCHOR: scope
    println!("3. No drop() at all: the handles live to the end of main");
    let (d, trigger) = deferred::<&str>();
    let _d = d.add_callback(first_line);
    trigger.callback(EMPTY).expect("fired once");
    println!("   fired; this is main's last line");
    // ANCHOR_END: scope
}
