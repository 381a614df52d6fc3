//! # Part 6 — And then we took it higher
//!
//! Client 2.0's `main` had to know about protocols, factories and
//! `connect_tcp` to download a poem. This part hides all of that behind
//! one function, `get_poetry`, in the shape the series gives it: the caller
//! says where the poem is and what to do with it once it has arrived, and
//! gets back control at once. The poem comes later, through a callback the
//! reactor calls.
//!
//! - [`callback::get_poetry`] is client 3.0: `get_poetry(reactor, task,
//!   callback)`. It has nowhere to send a failure.
//! - [`errback::get_poetry`] is client 3.1: `get_poetry(reactor, task,
//!   callback, errback)`. A failure goes to the errback; exactly one of the
//!   two is called, once.
//!
//! Both are built from part 5's pieces: [`connect_tcp`](part_05::connect_tcp),
//! one [`PoetryProtocol`] per connection (the same for both), and a factory
//! that holds the caller's continuations and calls one when the poem is
//! complete or the connection fails.
//!
//! Why a failure needs its own continuation: by the time a download fails,
//! the function that called `get_poetry` has returned. The stack the
//! failure happens on is the reactor's (the reactor's loop, the
//! connection, the factory), not the caller's, so an error cannot be
//! returned to the caller and a panic cannot unwind into it. Whatever
//! should happen on failure must be handed over in advance, like whatever
//! should happen on success.
//!
//! [`Task`] names a download in the output ([`start_client`] makes one per
//! address of a client's command line, and its reactor), [`Countdown`] is
//! the count the programs' callbacks share to stop the reactor after the
//! last task, and [`tokio_poetry`] is the same download as an `async fn`, which returns
//! its result instead of calling anyone.

pub mod callback;
pub mod errback;
pub mod protocol;
pub mod task;
pub mod tokio_poetry;

pub use protocol::{Outcome, PoetryProtocol};
pub use task::{Countdown, Task, Ticket, print_summary, start_client, summary};

pub use part_04::{Printer, Stream};
