//! Exercise 1 of part 14: `defer-11` with deferreds that have *failed*
//! before they are returned. Errbacks added afterwards run at once;
//! callbacks are skipped; and a failure nobody handles is reported only
//! when the last handle goes, because until then an errback could still
//! be added.
//!
//! ```text
//! cargo run -p part-14 --example part14-ex1-prefailed
//! ```

use clap::Parser;
use part_07::{Failure, deferred, fail};

/// Deferreds that fail before anyone adds an errback.
#[derive(Debug, Parser)]
#[command(name = "part14-ex1-prefailed")]
struct Args {}

// ANCHOR: prefailed
fn main() {
    let Args {} = Args::parse();
    println!("Scene 1: errback first, add callbacks afterwards.");
    let (d, trigger) = deferred::<u32>();
    let _ = trigger.errback(Failure::msg("no poem today"));
    println!("  the deferred has failed; adding a callback");
    let d = d.add_callback(|n: u32| {
        println!("    callback got {n} (never printed)");
        Ok(n)
    });
    println!("  the callback was skipped; adding an errback");
    let _ = d.add_errback(|failure: Failure| {
        println!("    errback got {failure}");
        Ok(0)
    });
    println!("  the errback ran inside add_errback.");
    println!();
    println!("Scene 2: `fail` makes the same in one call; nobody handles it.");
    let d = fail::<u32>(Failure::msg("still no poem"));
    let d = d.add_callback(|n: u32| Ok(n + 1));
    println!("  a callback was added (and skipped); now the last handle goes:");
    drop(d);
    println!("  the failure was reported as the handle was dropped, not before.");
}
// ANCHOR_END: prefailed
