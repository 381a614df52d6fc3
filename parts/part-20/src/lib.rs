//! # Part 20 — Wheels within wheels: Erlang
//!
//! The series ends its tour of Twisted with a look at Erlang, where the
//! reactor disappears into the language: each connection is a process
//! that loops on its own blocking receive, processes talk only by
//! messages, and a process that dies sends a "down" message to whoever
//! monitors it. This part builds those three pieces on part 17's runtime,
//! small enough to read in one sitting, and writes the series' Erlang
//! client with them, then again on tokio:
//!
//! - [`mailbox`]: a queue with one reader that waits and many senders that
//!   never do ([`Mailbox`], [`Sender`]);
//! - [`monitor`]: [`spawn_monitor`] starts a task and turns however it ends
//!   (a normal end, an error, a panic, a kill) into a [`Down`] message;
//! - [`supervisor`]: the rule that restarts a failed worker a few times,
//!   then gives up ([`Supervisor`]);
//! - [`client`]: the Erlang-style poetry client (`erlang-client`), and
//!   [`tokio_side`], the same with `spawn_local`, `mpsc` and a `JoinSet`
//!   (`erlang-client-tokio`).
//!
//! Nothing here waits in a new way: the reactor under the runtime still
//! does all of the waiting. What changes is who holds the loop. In
//! Twisted the reactor loops and calls each protocol; here each process
//! loops, and the runtime's loop is out of sight.

pub mod client;
pub mod mailbox;
pub mod monitor;
pub mod supervisor;
pub mod tokio_side;

pub use mailbox::{Mailbox, Sender, mailbox};
pub use monitor::{Down, Process, Reason, spawn_monitor};
pub use supervisor::{Restarts, Supervisor, Verdict};
