//! # Part 10 — Poetry transformed
//!
//! Client 4.0 downloaded poems and did nothing with them. Client 5.0 does
//! something, and the something can fail: each poem goes through
//! [`cummingsify()`], a transform that lowercases it, or garbles it
//! ([`GibberishError`], which the client recovers from by keeping the
//! original), or trips over its own bug ([`CummingsifyBug`], which the
//! client lets through, to be reported at the end of the chain). So a
//! poem's chain now has callbacks and errbacks *in sequence*, and where
//! each one is placed decides which failures it sees.
//!
//! - [`cummingsify`](mod@cummingsify): the transform, its two errors, and
//!   the seeded [`Dice`] that decide its fate (1 in 3 each).
//! - [`steps`]: the callbacks and errbacks of client 5.0, one method each
//!   ([`Steps`]); the programs `client-5` and `client-5-1` put the same
//!   steps in two different arrangements.
//! - [`route`]: writes down which steps ran on each poem's chain, and
//!   draws it.
//! - [`tokio_poetry`]: the same client as an `async fn`, with `?` and a
//!   `match` on the error's type.
//! - [`lines`] and [`cli`]: the lines and options the clients share.
//!
//! `cargo run -p part-10` is the guided demo.

pub mod cli;
pub mod cummingsify;
pub mod lines;
pub mod route;
pub mod steps;
pub mod tokio_poetry;

pub use cli::Client5Args;
pub use cummingsify::{
    CummingsifyBug, CummingsifyError, Dice, Fate, GibberishError, cummingsify, fates, random_seed,
    task_dice,
};
pub use route::{Arrangement, CLIENT_5, CLIENT_5_1, Route, draw};
pub use steps::{Run, Steps};
