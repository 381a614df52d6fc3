//! The guided demo of part 16 (to be written).
fn main() {}
