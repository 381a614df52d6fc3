//! Part 7, `defer-4`: a deferred fired twice with a result: the
//! second time is refused.
//!
//! A deferred fires once. The first `callback` runs the chain; the second
//! returns `Err(AlreadyCalled)` and runs nothing: the callback is not
//! called a second time, and the first poem is not replaced.
//!
//! In Python the second firing raises an exception; here it is a `Result`,
//! and the compiler warns if a program ignores it.
//!
//! `cargo run -p part-07 --example defer-4`

use part_07::{Failure, deferred};

/// What to do with a poem, once there is one.
fn got_poem(poem: String) {
    println!("  Your poem is served:");
    println!("  {poem}");
}

/// What to do if there will be no poem.
fn poem_failed(failure: Failure) {
    println!("  No poetry for you. ({})", failure.message());
}

fn main() {
    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(got_poem, poem_failed);

    println!("Firing the deferred with a poem:");
    trigger
        .callback("Tyger Tyger, burning bright,".to_string())
        .expect("a new deferred has not fired yet");

    println!("Firing it again, with another poem:");
    match trigger.callback("In the forests of the night;".to_string()) {
        Ok(()) => println!("  accepted (a deferred that fires twice would be a bug)"),
        Err(error) => println!("  refused: {error} ({error:?})"),
    }

    println!("Finished");
    // ANCHOR_END: main
}
