//! The guided demo of part 20 (placeholder while the crate is built).
fn main() {}
