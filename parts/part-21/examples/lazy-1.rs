//! Part 21, `lazy-1`: endless sequences, consumed only as far as needed —
//! the series' `head [2,4 ..]`, `head (tail [2,4 ..])` and `zip3` at the
//! Haskell prompt, as Rust iterators.
//!
//! `cargo run -p part-21 --example lazy-1`

use part_21::lazy::{evens, multiples_of, third_triple};

fn main() {
    // ANCHOR: main
    println!("first even:  {:?}", evens().next());
    println!("second even: {:?}", evens().nth(1));
    println!("third even:  {:?}", evens().nth(2));
    let triples: Vec<_> = (1..)
        .zip(evens())
        .zip(multiples_of(3))
        .map(|((x, y), z)| (x, y, z))
        .take(3)
        .collect();
    println!("three triples: {triples:?}");
    println!("the third triple alone: {:?}", third_triple());
    // ANCHOR_END: main
}
