//! The guided demo of part 18: a list collecting outcomes in order as its
//! members fire out of order, then each option at work.
//!
//! ```text
//! cargo run -p part-18
//! ```

fn main() {}
