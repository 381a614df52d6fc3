//! Part 2.
