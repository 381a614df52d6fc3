//! # Part 3 — Our eye-beams begin to twist
//!
//! A reactor of our own. Part 2's asynchronous client had one loop that
//! both waited for sockets and knew what to do with poetry. Here the two
//! come apart: the [`Reactor`] only waits and dispatches, and everything
//! else is a callback it calls.
//!
//! - **Timed calls**: [`Reactor::call_later`] returns a [`DelayedCall`] that
//!   can be cancelled; calls run in order of their due time, ties in the
//!   order they were scheduled. [`Reactor::call_when_running`] runs a
//!   callback as soon as the loop starts.
//! - **Readers and writers**: objects with a file descriptor
//!   ([`ReadDescriptor`], [`WriteDescriptor`]) that the reactor calls when
//!   the descriptor is ready. Part 4's client 1.0 is built from them, and
//!   part 5's transports on top of them.
//! - **Failures**: a callback that panics or returns an error is reported
//!   ([`FailedCall`]) and the loop goes on.
//! - **Two backends** behind one [`Backend`](backend::Backend) trait:
//!   `epoll` through `mio`, and `poll(2)` written out by hand.
//! - **The stack from inside a callback** ([`stack::workspace_stack`]):
//!   the reactor sits between `main` and every callback.
//! - **A virtual clock** ([`VirtualClock`]) so that tests of timing take no
//!   real time.
//!
//! There is no global reactor: create one with [`Reactor::new`] (or
//! [`Reactor::with`] to choose the backend and clock) and pass handles
//! around. A handle is an `Rc`: the reactor belongs to one thread, like
//! every callback it runs.

pub mod backend;
pub mod clock;
mod reactor;
pub mod report;
pub mod stack;
pub mod timers;

pub use backend::BackendKind;
pub use clock::{Clock, VirtualClock};
pub use reactor::{
    Disconnect, FileDescriptor, Reactor, ReactorError, ReadDescriptor, Reader, WeakReactor,
    WriteDescriptor, Writer,
};
pub use report::{FailedCall, Outcome};
pub use timers::{CallState, CancelError, DelayedCall};
