//! The guided demo of part 14: `cargo run -p part-14`.

fn main() {}
