//! # Part 10 — Poetry transformed
//!
//! Client 4.0 downloaded poems and did nothing with them. Client 5.0 does
//! something, and the something can fail: each poem goes through
//! [`cummingsify()`], a transform that lowercases it, or turns it into
//! gibberish ([`GibberishError`]), or trips over its own bug
//! ([`CummingsifyBug`]). Gibberish is passed on as a failure and the poem
//! is lost; after the bug the client falls back on the original poem.
//!
//! - [`cummingsify`](mod@cummingsify): the transform, its errors, and the
//!   seeded [`Dice`] that decide its fate (1 in 3 each).
//! - [`client_5`]: client 5.0's step, one callback that sorts the failures
//!   out itself.
//! - [`client_5_1`]: client 5.1's steps, a callback whose bug fails with a
//!   [`CannotCummingsify`] that carries the poem, and an errback that
//!   recovers from that failure alone.
//! - [`tokio_poetry`]: client 5.0 as an `async fn`, with `?` and a `match`.
//! - [`run`]: client 5.0's run with the transform step left open, for the
//!   demo and the exercises.
//! - [`lines`] and [`cli`]: the line and options the clients share.
//!
//! `cargo run -p part-10` is the guided demo.

pub mod cli;
pub mod client_5;
pub mod client_5_1;
pub mod cummingsify;
pub mod lines;
pub mod run;
pub mod tokio_poetry;

pub use cli::Client5Args;
pub use client_5_1::CannotCummingsify;
pub use cummingsify::{
    CummingsifyBug, CummingsifyError, Dice, Fate, GibberishError, cummingsify, fates, random_seed,
    task_dice,
};
