//! # Part 7 — An interlude, Deferred
//!
//! Part 6's callbacks had a flaw: a failure had nowhere to go. The code that
//! failed was called by the reactor, and up the reactor's stack there is
//! nobody who asked for the work. This part makes the outcome of
//! asynchronous work a value: a [`Deferred`], which holds a chain of
//! callbacks (for results) and errbacks (for failures), fired once by its
//! [`Trigger`]; and a [`Failure`], an error that remembers what it was and
//! where it came from.
//!
//! Later parts teach more of the same type, and it is all here, in marked
//! sections of [`deferred`](mod@deferred): a callback that returns a deferred
//! (part 13), pause, `succeed`, `fail` and `maybe_deferred` (part 14), and
//! cancellation (part 19).
//!
//! The Deferred does not depend on the reactor: it only runs callbacks when
//! it is fired, on whatever stack fires it. That keeps it usable from a
//! future, too (part 17). What needs a reactor is in [`timeout`]: a time
//! limit, [`Deferred::add_timeout`] (part 8's exercise), and a deferred as
//! part 3's `Completion`, so that `reactor.run_until(deferred)` runs a
//! reactor until a deferred fires, and a shutdown trigger can return one.
//! And in [`future`], for part 17: a deferred is a future (`IntoFuture`),
//! so `deferred.await` works in any `async` code.

//! ```
//! use part_07::{deferred, Failure};
//!
//! let (d, trigger) = deferred::<&str>();
//! let d = d
//!     .add_callback(|poem: &str| Ok(poem.len()))
//!     .add_callback(|n: usize| if n > 0 { Ok(n) } else { Err(Failure::msg("an empty poem")) })
//!     .add_errback(|failure| { println!("{failure}"); Ok(0) });
//! trigger.callback("Tyger Tyger, burning bright").unwrap();
//! ```
//!
//! The types are checked: a callback must take what the one before it
//! returned,
//!
//! ```compile_fail
//! let (d, _trigger) = part_07::deferred::<u32>();
//! let _ = d.add_callback(|poem: String| Ok(poem.len())); // a u32 is not a String
//! ```
//!
//! and a trigger fires the chain with the type its start expects.
//!
//! ```compile_fail
//! let (_d, trigger) = part_07::deferred::<u32>();
//! trigger.callback("a poem");
//! ```

pub mod deferred;
pub mod failure;
pub mod future;
pub mod timeout;

pub use deferred::{
    AlreadyCalled, CancelHandle, Deferred, IntoStep, Trigger, UnhandledGuard, deferred, fail,
    maybe_deferred, on_unhandled, succeed,
};
pub use failure::{CancelledError, Failure, Message, Panicked};
pub use future::DeferredFuture;
pub use timeout::TimedOut;
