//! The guided demo of part 21: `cargo run -p part-21`.
fn main() {}
