//! Part 21, `lazy-2`: when the work happens. An endless iterator that
//! says each number it makes, consumed by a loop that says each number it
//! gets: the two take turns, one number at a time, and the iterator stops
//! making numbers the moment the loop stops asking.
//!
//! `cargo run -p part-21 --example lazy-2`

use part_21::lazy::noisy_evens;

fn main() {
    // ANCHOR: main
    let evens = noisy_evens(|n| println!("  made {n}"));
    println!("built the iterator");
    for n in evens.map(|n| n * n).take(3) {
        println!("got {n}");
    }
    println!("done: nothing after the third was made");
    // ANCHOR_END: main
}
