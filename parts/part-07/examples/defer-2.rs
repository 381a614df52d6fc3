//! Part 7, `defer-2`: a deferred fired with a failure.
//!
//! The same pair as `defer-1`, but the deferred is fired with a failure:
//! the errback runs, the callback does not.
//!
//! `cargo run -p part-07 --example defer-2`

use part_07::{Failure, deferred};

/// What to do with a poem, once there is one.
fn got_poem(poem: String) {
    println!("Your poem is served:");
    println!("{poem}");
}

/// What to do if there will be no poem.
fn poem_failed(_failure: Failure) {
    println!("No poetry for you.");
}

fn main() {
    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let _end = d.add_callbacks(got_poem, poem_failed);
    // Fire it with a failure: the errback runs, the callback never will.
    trigger
        .errback(Failure::msg("I have failed."))
        .expect("a new deferred has not fired yet");
    println!("Finished");
    // ANCHOR_END: main
}
