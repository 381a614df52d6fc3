//! Part 7, `failure-examples`: two failures, and what each remembers.
//!
//! The first is made from an error value on the spot; the second from an
//! error returned by a function that failed, turned into a failure by `?`
//! inside that function. Each says where it became a failure: Twisted's
//! failure saves a traceback, ours the one line that matters.
//!
//! `cargo run -p part-07 --example failure-examples`

use part_07::Failure;

/// A poem that breaks its rhyme scheme.
#[derive(Debug, thiserror::Error)]
#[error("rhyme scheme violation")]
struct RhymeSchemeViolation;

/// Finds fault with any poem, the way a strict critic would.
fn analyze_poem(_poem: &str) -> Result<(), Failure> {
    Err(RhymeSchemeViolation)?
}

fn main() {
    println!("Just making an exception:");
    println!();
    let failure = Failure::new(RhymeSchemeViolation);
    // Made here, so it says it was raised here.
    println!("{failure}");
    println!();
    println!();

    println!("Catching an exception:");
    println!();
    let poem = "Roses are red.\nViolets are violet.\nThat's why they're called Violets.\nDuh.\n";
    if let Err(failure) = analyze_poem(poem) {
        // Made by the `?` in `analyze_poem`: it says so.
        println!("{failure}");
    }
}
