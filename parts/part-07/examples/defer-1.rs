//! Part 7, `defer-1`: a deferred fired with a result.
//!
//! We make a deferred, hang one callback/errback pair on it, and fire it
//! with a poem. The callback runs (the errback does not), and it runs
//! inside the call that fired the deferred: only when that call returns
//! does `main` go on to print "Finished".
//!
//! `cargo run -p part-07 --example defer-1`

use part_07::{Failure, deferred};

// ANCHOR: handlers
/// What to do with a poem, once there is one.
fn got_poem(poem: String) {
    println!("Your poem is served:");
    println!("{poem}");
}

/// What to do if there will be no poem.
fn poem_failed(_failure: Failure) {
    println!("No poetry for you.");
}
// ANCHOR_END: handlers

fn main() {
    // ANCHOR: main
    // Two ends of one deferred: `d` to add callbacks to, `trigger` to fire it.
    let (d, trigger) = deferred::<String>();
    // One pair: `got_poem` for a result, `poem_failed` for a failure.
    // Nothing runs yet: there is no result.
    let _end = d.add_callbacks(got_poem, poem_failed);
    // Fire it with a result. The callback runs now, before `callback` returns.
    trigger
        .callback("This poem is short.".to_string())
        .expect("a new deferred has not fired yet");
    println!("Finished");
    // ANCHOR_END: main
}
