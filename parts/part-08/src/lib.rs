//! # Part 8 — Deferred poetry
//!
//! Client 3.1 could finally report a failure, but only because its caller
//! handed `get_poetry` two closures in advance, and `get_poetry` had to
//! keep them, call the right one, and make sure it called only one. Part
//! 7's [`Deferred`](part_07::Deferred) is that bookkeeping as a value. So
//! client 4.0's [`get_poetry`] takes no closures at all: it returns a
//! `Deferred<Vec<u8>>`, and the caller adds callbacks and errbacks to it.
//!
//! - [`poetry`]: `get_poetry(reactor, task) -> Deferred<Vec<u8>>`, built on
//!   part 5's `connect_tcp` and part 6's protocol, with a canceller that
//!   closes the connection.
//! - the series' exercise, a time limit for any deferred, is part 7's
//!   [`Deferred::add_timeout`](part_07::Deferred::add_timeout): it races
//!   the deferred against a timed call on the reactor.
//! - [`stack`]: the stack seen from inside a deferred's callback, labelled
//!   by layer: reactor, transport, protocol, factory, deferred, callback.
//! - [`tokio_poetry`]: the same client as an `async fn` on tokio, returning
//!   a `Result`, with `tokio::time::timeout` and `join_all`.
//!
//! The programs are `client-4`, `client-4-stack`, `client-4-timeout` and
//! `client-4-tokio`; `cargo run -p part-08` is the guided demo.

pub mod poetry;
pub mod stack;
pub mod tokio_poetry;

pub use poetry::{PoetryClientFactory, get_poetry};
