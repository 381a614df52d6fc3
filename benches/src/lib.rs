//! Helpers shared by the benchmarks in `benches/benches/`.
//!
//! Every benchmark ends with a table of ratios between the ways it measured.
//! The numbers in it are not measured a second time: they are read back
//! from the estimates criterion wrote during the same run, which is what
//! [`estimates`] does.

pub mod estimates;
