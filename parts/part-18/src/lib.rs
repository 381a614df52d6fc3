//! # Part 18 — Deferreds en masse
//!
//! Waiting for many things at once. A [`DeferredList`] is one deferred that
//! fires when the deferreds it was built from have fired (or, with its
//! options, when the first of them succeeds or fails); its result lists
//! every member's outcome in the order the members were given, whatever
//! order they fired in. [`gather_results`] is the common case: the values
//! alone, or the first failure.
//!
//! The bin `client-8` is client 8.0, which downloads every poem and
//! reports once, when a single list says all the downloads are over;
//! `client-8-tokio` does the same with `join_all`, and [`tokio_side`] puts
//! the futures world's ways of waiting for many futures beside the list's
//! options.
//!
//! Beyond the series, [`observer`] tells each outcome of a growing group of
//! deferreds as it happens ([`ListObserver`]), and builds four ways of
//! saying "when" on it; [`tokio_observer`] has their futures counterparts.
//! [`lifted`] lifts plain functions over deferred arguments, so that nested
//! calls build the callback chain; [`tokio_lifted`] is the same on tokio.

pub mod lifted;
pub mod list;
pub mod observer;
pub mod tokio_lifted;
pub mod tokio_observer;
pub mod tokio_side;

pub use list::{DeferredList, FirstError, ListOptions, ListResult, gather_results, pairs};
pub use observer::ListObserver;
