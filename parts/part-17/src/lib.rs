//! # Part 17 — Just another way to spell "callback"
//!
//! The series rewrites callback chains as straight-line code with Python's
//! generators and Twisted's `inlineCallbacks`. Rust's way of doing the
//! same is `async`/`await`, and this part shows how it works underneath by
//! building it on our own reactor:
//!
//! - [`Runtime`]: a queue of tasks on part 3's reactor, with a waker that
//!   re-queues its task from any thread through the reactor's wake-up;
//!   [`Runtime::spawn`] returns a part 7 `Deferred` for the task's output,
//!   [`Runtime::block_on`] runs a reactor until a future is ready.
//! - A deferred is a future (part 7's [`DeferredFuture`]), so
//!   `deferred.await` gives `Result<T, Failure>`, and
//!   [`Runtime::inline_callbacks`] turns an `async` block back into a
//!   deferred.
//! - [`TcpStream`] and [`TcpListener`]: sockets whose reads, writes and
//!   accepts are futures woken by the reactor's readiness events, so a
//!   whole client or server can be `async` code on our reactor.
//! - [`Timeout`]: one future written by hand with `pin-project`, beside
//!   [`timeout`], the `async fn` that does the same.
//! - [`Resumable`]: a function that stops and is resumed with a value or
//!   an error, for the series' generator examples.
//!
//! Beyond the series, [`init`] gives an object whose set-up is
//! asynchronous ([`AsyncInit`]): calls made before it is ready wait for it.
//!
//! Nothing here is new machinery for *waiting*: the reactor still does all
//! of that. A future is a state machine, a waker is a callback, and a
//! reactor plus a queue of tasks is a runtime.

pub mod client7;
pub mod fast;
pub mod init;
pub mod net;
pub mod resumable;
pub mod runtime;
pub mod timeout;

pub use init::{AsyncInit, InitFailed};
pub use net::{TcpListener, TcpStream};
pub use part_07::DeferredFuture;
pub use resumable::{Co, Resumable, State};
pub use runtime::{Runtime, TaskPanicked};
pub use timeout::{Timeout, timeout, with_timeout};
