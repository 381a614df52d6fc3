//! # Part 13 — Deferred all the way down
//!
//! A callback may return, instead of a value, another deferred. The chain
//! it belongs to (the *outer* chain) then has nothing to hand to its next
//! step, so it pauses; when the returned deferred (the *inner* one) fires,
//! its result or failure becomes the outer chain's, and the outer chain
//! goes on from where it stopped. Part 7's deferred does this in its
//! `nested` section ([`part_07::deferred`](mod@part_07::deferred)); this crate shows it at work.
//!
//! - [`told`]: client 6.0's chain from part 12 (download, then a callback
//!   that returns the transformation server's deferred, with the original
//!   poem as the fallback), with a listener told each step as it happens:
//!   the download finished, the poem was sent, the outer chain is paused,
//!   the inner deferred fired, the outer chain went on.
//! - [`futures_side`]: the same nesting on futures, once with
//!   `TryFutureExt::and_then` and once with `.await` in an `async fn`.
//!
//! The example `defer-10` shows the bare mechanism, with `main` firing
//! the inner deferred by hand, and the guided demo (`cargo run -p part-13`)
//! runs [`told`] against slow poetry servers and a transformation server
//! in its own process.

pub mod futures_side;
pub mod told;

pub use told::{Step, get_transformed_poetry_told};
