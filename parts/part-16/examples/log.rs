//! `log`: the series' logging example, retold with `tracing`.
//!
//! A log line goes nowhere until a subscriber is installed; once one is,
//! messages and errors go to it, and so can a panic that was caught and a
//! failure that reached an errback. Which lines appear, and in which
//! order, is the original's; the words are ours.
//!
//! ```text
//! cargo run -p part-16 --example log
//! ```

use part_03::report::catch_panic;
use part_07::{Failure, deferred};
use part_16::logging::{self, LogTarget};

// ANCHOR: example
/// A callback with a bug in it: it panics, as the original's raises a
/// `NameError`.
fn bad_callback(_result: bool) -> Result<(), Failure> {
    let names: [&str; 0] = [];
    let name = names.first().expect("no such name: xxx");
    println!("unreachable: {name}");
    Ok(())
}

fn main() {
    tracing::info!("This will not be logged: no subscriber is installed yet.");

    let _log = logging::install(LogTarget::Stdout);

    tracing::info!("This will be logged.");
    tracing::error!("This will be logged as an error.");

    if let Err(panic) = catch_panic(|| bad_callback(true)) {
        tracing::error!("The next line logs the caught panic as an error.");
        tracing::error!("{panic}");
    }

    let (d, trigger) = deferred::<bool>();
    let _ = d
        .add_callback(bad_callback)
        .add_errback(|failure: Failure| {
            tracing::error!("The next line logs the failure as an error.");
            tracing::error!("{failure}");
        });
    let _ = trigger.callback(true);

    tracing::info!("End of example.");
}
// ANCHOR_END: example
