//! The guided demo of part 12 (being written).

fn main() {}
