//! # Part 18 — Deferreds en masse
//!
//! Waiting for many things at once. A [`DeferredList`] is one deferred that
//! fires when the deferreds it was built from have fired (or, with its
//! options, when the first of them succeeds or fails); its result lists
//! every member's outcome in the order the members were given, whatever
//! order they fired in. [`gather_results`] is the common case: the values
//! alone, or the first failure.
//!
//! [`client8`] is client 8.0, which downloads every poem and reports once,
//! when a single list says all the downloads are over; [`tokio_side`] is
//! the same on tokio with `join_all`, and the other ways tokio and
//! `futures` wait for many futures.

pub mod list;
pub mod tokio_side;

pub use list::{DeferredList, FirstError, ListOptions, ListResult, gather_results, pairs};
