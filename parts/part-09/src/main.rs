//! The guided demo of part 9: `cargo run -p part-09`.
//!
//! Draws four chains with the deferred simulator's own code (each one run on
//! part 7's real `Deferred`): a result passing through, a failure recovered
//! by an errback, a recovery followed by a new failure, and a failure that
//! falls off the end. Then it drops a chain that ends in a failure, to show
//! exactly when "Unhandled error in Deferred" is reported, and says what to
//! notice. Its output is the same on every run.

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_07::{Failure, deferred};
use part_09::{KEY, picture};

/// Part 9 — A second interlude, Deferred: four callback chains drawn as the
/// result or failure travels through them, then an unhandled failure
/// reported as its deferred is dropped.
#[derive(Debug, Parser)]
#[command(name = "part-09", version)]
struct Args {}

/// The chains the demo draws: a title, what to look at, the chain.
const CHAINS: [(&str, &str, &str); 4] = [
    (
        "A result passing through",
        "Fired with a result, the chain stays on the callback side: each callback\n   gets what the one before it returned. No errback runs.",
        "result p/p r/p p/p",
    ),
    (
        "A failure recovered by an errback",
        "Callback 1 fails: the chain crosses to the errbacks. Errback 2 passes the\n   failure on; errback 3 returns a value, and the chain crosses back.",
        "result f/p p/p p/r p/p",
    ),
    (
        "Recover, then fail",
        "Fired with a failure: errback 1 recovers, callback 2 fails anew. The chain\n   ends with the new failure, not the one it was fired with.",
        "failure p/r f/p p/p",
    ),
    (
        "A failure falling off the end",
        "Three pairs added with add_callback, so no errback at all: the failure\n   passes every pair by and is still there at the end.",
        "failure r/- p/- r/-",
    ),
];

fn main() -> ExitCode {
    let _args = Args::parse();
    println!("Part 9 — A second interlude, Deferred");
    println!();
    println!("Each drawing is a chain built on part 7's real Deferred, one");
    println!("callback/errback pair per row, then fired and dropped.");
    println!("{KEY}");

    for (number, (title, note, chain)) in CHAINS.iter().enumerate() {
        let drawing = match picture(chain) {
            Ok(drawing) => drawing,
            Err(error) => return cli::fail(error),
        };
        println!();
        println!("{}. {title}", number + 1);
        println!("   {note}");
        println!();
        print!("{drawing}");
    }

    println!();
    println!("5. When the report comes");
    println!("   (the report goes to standard error, these lines to standard output)");
    unhandled_at_drop();

    println!();
    println!("What to notice:");
    println!("- In every row exactly one of the two functions ran, chosen by what");
    println!("  arrived: a result goes to the callback, a failure to the errback.");
    println!("- A callback that fails moves the chain to the errback side; an errback");
    println!("  that returns a value moves it back; an errback that passes the failure");
    println!("  on keeps it there. add_callback and add_errback leave one side empty,");
    println!("  and whatever arrives on that side goes by.");
    println!("- A failure that reaches the end of the chain is not lost: part 7 reports");
    println!("  it when the last handle on the chain is dropped, once, and only if no");
    println!("  errback handled it.");
    ExitCode::SUCCESS
}

// ANCHOR: at_drop
/// A chain that ends in a failure, dropped handle by handle, with the
/// default reporter (standard error) so the report falls where it really
/// does among the program's own lines.
fn unhandled_at_drop() {
    let (d, trigger) = deferred::<u32>();
    let d = d.add_callback(|lines: u32| {
        if lines == 0 {
            Err(Failure::msg("a poem of no lines"))
        } else {
            Ok(lines)
        }
    });
    trigger.callback(0).expect("a new deferred fires");
    println!("   fired with 0: the callback failed; no errback follows it");
    drop(d);
    println!("   dropped the deferred: the trigger still holds the chain, no report yet");
    drop(trigger);
    println!("   dropped the trigger: that was the last handle, and the report above");
    println!("   came from inside that drop");
}
// ANCHOR_END: at_drop
