//! Part 7, `defer-2`: a deferred fired with a failure.
//!
//! The same pair as `defer-1`, but the deferred is fired with `errback`
//! and a [`Failure`]: now the errback runs and the callback does not.
//! Again it all happens inside the call that fired the deferred, before
//! "Finished".
//!
//! `cargo run -p part-07 --example defer-2`

use part_07::{Failure, deferred};

/// What to do with a poem, once there is one.
fn got_poem(poem: String) {
    println!("Your poem is served:");
    println!("{poem}");
}

/// What to do if there will be no poem.
fn poem_failed(failure: Failure) {
    println!("No poetry for you.");
    println!("(the errback was given {failure})");
}

fn main() {
    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(got_poem, poem_failed);

    // Fire it with a failure: the errback runs, the callback never will.
    trigger
        .errback(Failure::msg("the poetry server has run out of verse"))
        .expect("a new deferred has not fired yet");

    println!("Finished");
    // ANCHOR_END: main
}
