//! # Part 19 — I thought I wanted it but I changed my mind
//!
//! Cancellation. Part 7's deferred has had [`cancel`](part_07::Deferred::cancel)
//! and [`with_canceller`](part_07::Deferred::with_canceller) since it was
//! written; this part puts them to work. The series' twelve small examples
//! (`defer-cancel-1` … `defer-cancel-12`) show the rules: a cancel before
//! the deferred fires fails it with `CancelledError` (and a later firing is
//! ignored), a cancel afterwards does nothing, a canceller given by the
//! code that made the deferred is called first and may fire the deferred
//! itself, and cancelling a deferred that waits for an inner one cancels
//! the inner one.
//!
//! [`proxy3`] is proxy 3.0, whose clients cancel their poem when they hang
//! up, so that a download nobody wants any more is stopped;
//! [`tokio_proxy3`] is the same on tokio, where cancelling is dropping a
//! future; [`tokio_cancel`] shows tokio's other ways to cancel (an aborted
//! task, a cancellation token) and what cancellation safety means.
//!
//! Beyond the series, building blocks made of cancellable deferreds, each
//! beside its tokio counterpart: [`controllable`] takes over a deferred
//! someone else fires ([`tokio_controllable`]); [`first_success`] runs
//! several ways of getting one result at once and keeps the first that
//! succeeds ([`tokio_first_success`]); [`retry`] calls a function again
//! after a failure, with growing delays, until it succeeds
//! ([`tokio_retry`]); [`dispatch`] runs queued jobs through a number of
//! workers that can change while they run ([`tokio_dispatch`], and
//! [`dispatch_scene`] for the scene its example and figure show).
//! [`pretend`] is the
//! cancellable pretend work their examples and tests run.

pub mod controllable;
pub mod dispatch;
pub mod dispatch_scene;
pub mod first_success;
pub mod pretend;
pub mod proxy3;
pub mod retry;
pub mod tokio_cancel;
pub mod tokio_controllable;
pub mod tokio_dispatch;
pub mod tokio_first_success;
pub mod tokio_proxy3;
pub mod tokio_retry;

pub use proxy3::{CancellingFactory, Flight, ProxyService3};
pub use tokio_proxy3::TokioProxy3;
