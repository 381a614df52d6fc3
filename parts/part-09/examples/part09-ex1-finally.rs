//! Part 9, exercise 1: `finally`, a step that runs whichever way the chain
//! arrives and changes nothing.
//!
//! Python's `try … finally`, and Twisted's habit of `addBoth` for cleanup:
//! close the connection, stop the reactor, note the time, whether the work
//! succeeded or failed. The result or failure that arrives goes on as it
//! was, so a failure nobody handles is still reported when the chain is
//! dropped.
//!
//! ```text
//! cargo run -p part-09 --example part09-ex1-finally
//! ```

use part_07::{Deferred, Failure, deferred};

// ANCHOR: solution
/// Adds `cleanup` to the chain: it runs whether a result or a failure
/// arrives, and what arrived is passed on unchanged.
pub fn finally<T: 'static>(d: Deferred<T>, cleanup: impl FnOnce() + 'static) -> Deferred<T> {
    d.add_both(move |outcome: Result<T, Failure>| {
        cleanup();
        outcome
    })
}
// ANCHOR_END: solution

/// A chain that counts a poem's lines, failing on an empty poem, with a
/// cleanup step and a last callback that prints the count.
fn count_lines(poem: &'static str) {
    let (d, trigger) = deferred::<&str>();
    let d = d.add_callback(|poem: &str| match poem.lines().count() {
        0 => Err(Failure::msg("an empty poem")),
        n => Ok(n),
    });
    let d = finally(d, || println!("   cleanup: closing the connection"));
    let _end = d.add_callback(|n: usize| println!("   the poem has {n} lines"));
    trigger.callback(poem).expect("a new deferred fires");
}

fn main() {
    println!("A poem of two lines:");
    count_lines("Tyger Tyger, burning bright,\nIn the forests of the night;");
    println!("An empty poem:");
    count_lines("");
    println!("(the failure went on past the cleanup: nobody handled it, so it was reported)");
}
