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
//!
//! Nothing here is new machinery for *waiting*: the reactor still does all
//! of that. A future is a state machine, a waker is a callback, and a
//! reactor plus a queue of tasks is a runtime.

pub mod resumable;
pub mod runtime;

pub use part_07::DeferredFuture;
pub use resumable::{Co, Resumable, State};
pub use runtime::{Runtime, TaskPanicked};
