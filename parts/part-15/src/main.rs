//! The guided demo of part 15: `cargo run -p part-15`.
fn main() {}
