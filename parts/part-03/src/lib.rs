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
//! - **Other threads** reach the reactor through a [`ReactorHandle`]
//!   ([`Reactor::handle`]): `call_from_thread` and `stop` queue a call and
//!   wake the backend, whose wake-up ([`Wake`](backend::Wake)) is built
//!   in. `stop_on_signals` routes `SIGINT`/`SIGTERM` into `stop`
//!   ([`SignalGuard`]).
//! - **Stopping in phases**: [`Reactor::add_shutdown_trigger`] adds work
//!   to do [`Phase::Before`], [`During`](Phase::During) or
//!   [`After`](Phase::After) a shutdown; a "before" trigger may return a
//!   [`Completion`] the reactor keeps running for.
//! - **Running until something completes**: [`Reactor::run_until`] takes
//!   any [`Completion`] (part 7's `Deferred` is one) and returns its
//!   outcome; [`Reactor::pending_calls`] lists the timed calls still to
//!   come, for tests.
//!
//! There is no global reactor: create one with [`Reactor::new`] (or
//! [`Reactor::with`] to choose the backend and clock) and pass handles
//! around. A handle is an `Rc`: the reactor belongs to one thread, like
//! every callback it runs.

pub mod backend;
pub mod clock;
mod handle;
mod reactor;
pub mod report;
mod shutdown;
pub mod stack;
pub mod timers;

pub use backend::BackendKind;
pub use clock::{Clock, VirtualClock};
pub use handle::{ReactorHandle, SignalGuard};
pub use reactor::{
    Disconnect, FileDescriptor, Reactor, ReactorError, ReadDescriptor, Reader, WeakReactor,
    WriteDescriptor, Writer,
};
pub use report::{FailedCall, Outcome};
pub use shutdown::{Completion, Phase, ShutdownTrigger};
pub use timers::{CallState, CancelError, DelayedCall};
