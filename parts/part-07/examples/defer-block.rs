//! Part 7, `defer-block`: firing a deferred runs its callbacks right now.
//!
//! A deferred is not a thread, a task or a queue. Firing it calls its
//! callbacks at once, one after another, on the stack of whoever fired it,
//! and `callback` returns only when they have all returned. So a callback
//! that blocks (here, one that sleeps for half a second) blocks the code
//! that fired the deferred, for just as long. Wrapping blocking code in a
//! deferred does not make it asynchronous.
//!
//! Then a callback added to a deferred that has already fired: it too runs
//! at once, inside `add_callback`.
//!
//! Every line starts with the time since the program started, in tenths
//! of a second.
//!
//! `cargo run -p part-07 --example defer-block`

use std::thread;
use std::time::{Duration, Instant};

use part_07::deferred;

/// How long the blocking callback sleeps.
const NAP: Duration = Duration::from_millis(500);

/// Prints `what` after the time since `start`, in tenths of a second.
fn say(start: Instant, what: &str) {
    println!("{:.1} s  {what}", start.elapsed().as_secs_f64());
}

fn main() {
    let start = Instant::now();

    // ANCHOR: main
    let (d, trigger) = deferred::<String>();
    let d = d.add_callback(move |poem: String| {
        say(start, "  callback: got the poem; now sleeping (blocking!)");
        thread::sleep(NAP);
        say(start, "  callback: awake, returning");
        Ok(poem.len())
    });

    say(start, "main: firing the deferred");
    trigger
        .callback("Tyger Tyger, burning bright,".to_string())
        .expect("a new deferred has not fired yet");
    say(
        start,
        "main: callback() has returned; the callback ran inside it",
    );

    say(
        start,
        "main: adding a callback to the deferred, which has fired",
    );
    let _end = d.add_callback(move |length: usize| {
        say(
            start,
            &format!("  second callback: runs at once, got {length}"),
        );
    });
    say(start, "main: add_callback() has returned");
    // ANCHOR_END: main
}
