//! Part 7, exercise 3: make a helper's failures point at its callers.
//!
//! A failure says where it was raised. Three callbacks that check a poem
//! share one helper, `bad_poem(why)`, to make their failures. Written as a
//! plain function, every failure it makes says it was raised inside
//! `bad_poem`: true, and useless, since the helper is not where anything
//! went wrong. `#[track_caller]` on the helper hands its caller's location
//! on to `Failure::new` (which is `#[track_caller]` itself), so each
//! failure points at the check that failed.
//!
//! `cargo run -p part-07 --example part07-ex3-track-caller`

use part_07::{Deferred, Failure, Message, Trigger, deferred};

// ANCHOR: solution
/// A failure for a poem that fails a check, raised where this is called.
#[track_caller]
pub fn bad_poem(why: &str) -> Failure {
    Failure::new(Message(format!("bad poem: {why}")))
}
// ANCHOR_END: solution

// ANCHOR: checks
/// Three checks in a row on a poem; the first that fails makes a failure
/// with [`bad_poem`]. Returns the trigger that starts the checks, and the
/// end of the chain.
pub fn checks() -> (Trigger<String>, Deferred<String>) {
    let (d, trigger) = deferred::<String>();
    let d = d
        .add_callback(|poem: String| {
            if poem.trim().is_empty() {
                return Err(bad_poem("there is nothing in it"));
            }
            Ok(poem)
        })
        .add_callback(|poem: String| {
            if !poem.chars().any(char::is_alphabetic) {
                return Err(bad_poem("it has no words"));
            }
            Ok(poem)
        })
        .add_callback(|poem: String| {
            if poem.lines().count() > 100 {
                return Err(bad_poem("it is too long"));
            }
            Ok(poem)
        });
    (trigger, d)
}
// ANCHOR_END: checks

fn main() {
    let poems = [
        "Tyger Tyger, burning bright,".to_string(),
        " ".to_string(),
        "— — —".to_string(),
        "Tyger\n".repeat(101),
    ];
    for poem in poems {
        let (trigger, d) = checks();
        let _end = d.add_callbacks(
            |_poem: String| println!("the poem passed"),
            |failure: Failure| println!("{failure}"),
        );
        trigger
            .callback(poem)
            .expect("a new deferred has not fired yet");
    }
}
