//! The guided demo of part 7 (to come).
fn main() {}
