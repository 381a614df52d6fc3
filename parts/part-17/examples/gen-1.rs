//! Part 17, `gen-1`: a function that stops and goes on, written by hand.
//!
//! Python's generator is a function that stops at each `yield` and goes on
//! from there when the loop asks for the next value. Stable Rust has no
//! generators, so this is what one compiles to, written out: an
//! `Iterator` whose state says where the "function" stopped. Each call of
//! `next` runs the code from that point to the next stop. The prints of
//! the generator come between the loop's prints, one step at a time.
//!
//! `cargo run -p part-17 --example gen-1`

// ANCHOR: machine
/// Where the generator stopped: one state per `yield`, plus its start and
/// its end.
enum MyGenerator {
    Start,
    After1,
    After2,
    After3,
    Finished,
}

impl Iterator for MyGenerator {
    type Item = u32;

    /// Runs from where the generator stopped to its next stop.
    fn next(&mut self) -> Option<u32> {
        match self {
            MyGenerator::Start => {
                println!("starting up");
                *self = MyGenerator::After1;
                Some(1)
            }
            MyGenerator::After1 => {
                println!("working");
                *self = MyGenerator::After2;
                Some(2)
            }
            MyGenerator::After2 => {
                println!("still working");
                *self = MyGenerator::After3;
                Some(3)
            }
            MyGenerator::After3 => {
                println!("done");
                *self = MyGenerator::Finished;
                None
            }
            MyGenerator::Finished => None,
        }
    }
}
// ANCHOR_END: machine

fn main() {
    // ANCHOR: main
    for n in MyGenerator::Start {
        println!("{n}");
    }
    // ANCHOR_END: main
}
