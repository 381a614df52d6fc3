//! The guided demo of part 19.

fn main() {}
