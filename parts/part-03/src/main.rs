//! The guided demo of part 3 (to come).
fn main() {}
