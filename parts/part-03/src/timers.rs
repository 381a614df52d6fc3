//! Timed calls: [`DelayedCall`] handles and the queue the reactor keeps them in.

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::rc::Rc;
use std::time::Duration;

use crate::report::Origin;

/// A callback the reactor will run later, type-erased. Returns the error
/// message if it failed.
pub(crate) type Thunk = Box<dyn FnOnce() -> Option<String>>;

/// Where a delayed call stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallState {
    /// Waiting for its time.
    Pending,
    /// Cancelled before its time: it will never run.
    Cancelled,
    /// It ran (or is running now).
    Called,
}

/// Why a delayed call could not be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CancelError {
    /// It has already run.
    #[error("the call has already been called")]
    AlreadyCalled,
    /// It was cancelled before.
    #[error("the call has already been cancelled")]
    AlreadyCancelled,
}

pub(crate) struct CallInner {
    pub(crate) state: Cell<CallState>,
    pub(crate) due: Duration,
    pub(crate) what: Origin,
    pub(crate) thunk: RefCell<Option<Thunk>>,
}

/// A handle on a call scheduled with [`Reactor::call_later`](crate::Reactor::call_later):
/// ask whether it is still to come, or cancel it. Clones are handles on the
/// same call.
#[derive(Clone)]
pub struct DelayedCall(pub(crate) Rc<CallInner>);

impl DelayedCall {
    /// Whether the call is still to come: neither run nor cancelled.
    pub fn active(&self) -> bool {
        self.0.state.get() == CallState::Pending
    }

    /// Where the call stands.
    pub fn state(&self) -> CallState {
        self.0.state.get()
    }

    /// When the call is due, on the reactor's clock.
    pub fn due(&self) -> Duration {
        self.0.due
    }

    /// What the call is and where it was scheduled, e.g. `timed call
    /// scheduled at src/main.rs:12`: how a test harness names a call
    /// a test left behind (part 15).
    pub fn what(&self) -> String {
        self.0.what.to_string()
    }

    /// Cancels the call, so that it never runs. Cancelling a call that has
    /// run, or was cancelled already, is an error, as in Twisted.
    pub fn cancel(&self) -> Result<(), CancelError> {
        match self.0.state.get() {
            CallState::Pending => {
                self.0.state.set(CallState::Cancelled);
                // Drop the callback now: whatever it captured is freed.
                self.0.thunk.borrow_mut().take();
                Ok(())
            }
            CallState::Called => Err(CancelError::AlreadyCalled),
            CallState::Cancelled => Err(CancelError::AlreadyCancelled),
        }
    }
}

impl std::fmt::Debug for DelayedCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DelayedCall")
            .field("due", &self.0.due)
            .field("state", &self.0.state.get())
            .field("what", &format_args!("{}", self.0.what))
            .finish()
    }
}

/// An entry of the timer queue: ordered by due time, then by the order in
/// which the calls were scheduled, so ties run first-come, first-served.
pub(crate) struct Entry {
    pub(crate) due: Duration,
    pub(crate) seq: u64,
    pub(crate) call: DelayedCall,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        (self.due, self.seq) == (other.due, other.seq)
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

// ANCHOR: order
impl Ord for Entry {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest first.
    fn cmp(&self, other: &Entry) -> Ordering {
        (other.due, other.seq).cmp(&(self.due, self.seq))
    }
}
// ANCHOR_END: order
