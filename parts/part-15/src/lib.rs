//! # Part 15 — Tested poetry
//!
//! A test harness for asynchronous code, ours the way Twisted's trial is
//! Twisted's, and small enough to read in one sitting.
//!
//! An ordinary `#[test]` is synchronous: it checks, returns, and is done.
//! A test of asynchronous code cannot check anything until the reactor has
//! run the callbacks that produce what it checks. So a test here returns a
//! [`Deferred`](part_07::Deferred), and the harness runs a fresh reactor
//! until it fires ([`harness`]):
//!
//! - a [`Fixture`] sets up before each test and tears down after it, and
//!   either may return a deferred too (a server on a free port,
//!   [`PoetryServer`]);
//! - every step has a time limit: a deferred that never fires fails the
//!   test, named, with the limit, instead of hanging the run;
//! - [`assert_failure`] checks that a deferred fails, and with what type
//!   of error;
//! - the reactor must be left clean: a test that leaves a connection, a
//!   listening port or a timed call behind fails, and the message names
//!   each ([`dirty`]);
//! - a fixture can ask for virtual time ([`VirtualTime`]): a test advances
//!   the clock instead of sleeping, and a run that covers minutes of
//!   timers takes microseconds;
//! - a protocol can be tested in memory, on a [`FakeConnection`]: bytes in
//!   by hand, bytes out read back, no socket ([`fake`]);
//! - [`trial!`] makes each test a normal `#[test]`, so `cargo test` runs
//!   them and shows their failures.
//!
//! The same tests on tokio, with `#[tokio::test(start_paused = true)]` and
//! `tokio::time::advance`, are in this part's `tests/tokio_side.rs`;
//! `cargo run -p part-15` runs a small [`Suite`] in which three tests fail
//! on purpose, one in each way.

pub mod assertions;
pub mod dirty;
pub mod fake;
pub mod harness;
pub mod poetry;
pub mod suite;

pub use assertions::{UnexpectedOutcome, assert_failure};
pub use fake::{FakeConnection, FakeWire};
pub use harness::{
    DEFAULT_TIMEOUT, Fixture, Problem, Ran, Stage, TestFailure, Trial, VirtualTime, run, run_test,
};
pub use poetry::{PoetryServer, TEST_POEM, get_poetry, poetry_protocol};
pub use suite::{Suite, Summary};
