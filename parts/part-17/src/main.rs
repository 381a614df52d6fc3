//! The guided demo of part 17 (written last).

fn main() {}
