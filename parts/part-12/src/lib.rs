//! # Part 12 — A poetry transformation server
//!
//! The transformation protocol's framing: [`netstring`] messages, parsed
//! incrementally from a byte stream by one parsing core that both our
//! reactor protocol and a tokio codec use.

pub mod netstring;
