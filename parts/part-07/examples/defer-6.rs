//! Part 7, `defer-6`: a deferred fired twice, with two failures: the
//! second firing is refused.
//!
//! A deferred fires once. The first firing runs the chain; the second
//! returns `Err(AlreadyCalled)` and runs nothing. Python raises
//! `AlreadyCalledError` there, and the script ends with a traceback
//! before it prints "Finished"; here `?` returns the error from `main`,
//! which prints it and exits with a failure.
//!
//! `cargo run -p part-07 --example defer-6`

use std::fmt::Display;

use part_07::{AlreadyCalled, Failure, deferred};

/// Prints whatever it is given: the callback and the errback.
fn out<T: Display>(s: T) {
    println!("{s}");
}

fn main() -> Result<(), AlreadyCalled> {
    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(out, out);
    trigger.errback(Failure::msg("First error"))?;
    trigger.errback(Failure::msg("Second error"))?;
    println!("Finished");
    // ANCHOR_END: main
    Ok(())
}
