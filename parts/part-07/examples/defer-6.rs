//! Part 7, `defer-6`: a deferred fired with a failure, then with a
//! result: the result is refused.
//!
//! The mirror image of `defer-5`: after `errback`, a `callback` returns
//! `Err(AlreadyCalled)` and runs nothing. A deferred that has failed
//! cannot be made to succeed by firing it again.
//!
//! In Python the second firing raises an exception; here it is a `Result`,
//! and the compiler warns if a program ignores it.
//!
//! `cargo run -p part-07 --example defer-6`

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

    println!("Firing the deferred with a failure:");
    trigger
        .errback(Failure::msg("the poetry server has run out of verse"))
        .expect("a new deferred has not fired yet");

    println!("Firing it again, with a poem:");
    match trigger.callback("Tyger Tyger, burning bright,".to_string()) {
        Ok(()) => println!("  accepted (a deferred that fires twice would be a bug)"),
        Err(error) => println!("  refused: {error} ({error:?})"),
    }

    println!("Finished");
    // ANCHOR_END: main
}
