//! A controllable deferred: take over a deferred someone else fires.
//!
//! A deferred belongs to two people. Its producer holds the trigger and
//! fires it when the work ends; its consumer holds the deferred, adds
//! callbacks, and may cancel. The consumer cannot *fire* it: if a user
//! presses "use the cached copy" while a slow lookup is still running,
//! there is no way to push the cached copy down the lookup's chain.
//!
//! [`take_control`] gives the consumer that power. It takes the original
//! deferred and hands back a new one, together with a [`Control`]. The new
//! deferred fires with whichever comes first:
//!
//! - the original's outcome, a value or a failure, passed on unchanged; or
//! - what the control says: [`Control::callback`], [`Control::errback`],
//!   or [`Control::cancel`].
//!
//! When the control wins, the original is cancelled, so the work behind it
//! stops (if its producer gave it a canceller) and its late outcome, if it
//! comes anyway, is dropped without a word: nobody wants it. When the
//! original wins, the control has nothing left to do, and says so with
//! [`AlreadyCalled`].

use part_07::{AlreadyCalled, CancelHandle, Deferred, Failure, Trigger};

// ANCHOR: control
/// What fires a deferred made by [`take_control`]. Cheap to clone; every
/// clone controls the same deferred.
pub struct Control<T> {
    /// Fires the new deferred.
    ours: Trigger<T>,
    /// The new deferred, for cancelling it.
    ours_handle: CancelHandle,
    /// The deferred taken over, for cancelling it.
    original: CancelHandle,
}

/// Takes over `original`: the deferred returned fires with `original`'s
/// outcome, unless the [`Control`] fires it first, in which case
/// `original` is cancelled.
pub fn take_control<T: 'static>(original: Deferred<T>) -> (Deferred<T>, Control<T>) {
    let original_handle = original.cancel_handle();
    // Cancelling ours cancels the original; what the original then fires
    // with (usually `CancelledError`) comes through the forwarding step.
    let to_cancel = original_handle.clone();
    let (ours, trigger) = Deferred::with_canceller(move |_: &Trigger<T>| to_cancel.cancel());
    let forward = trigger.clone();
    let _ = original.add_both(move |outcome: Result<T, Failure>| {
        // `AlreadyCalled` means the control fired ours first: the original
        // was cancelled, and its outcome is dropped here, handled.
        let _ = forward.fire(outcome);
    });
    let control = Control {
        ours: trigger,
        ours_handle: ours.cancel_handle(),
        original: original_handle,
    };
    (ours, control)
}
// ANCHOR_END: control

// ANCHOR: fire
impl<T: 'static> Control<T> {
    /// Fires the new deferred with `value` now, and cancels the original.
    /// [`AlreadyCalled`] if the new deferred has fired already (the
    /// original beat you to it, or another clone of this control did).
    pub fn callback(&self, value: T) -> Result<(), AlreadyCalled> {
        self.fire(Ok(value))
    }

    /// Fails the new deferred with `failure` now, and cancels the original.
    #[track_caller]
    pub fn errback(&self, failure: impl Into<Failure>) -> Result<(), AlreadyCalled> {
        self.fire(Err(failure.into()))
    }

    /// Fires the new deferred with `outcome`, then cancels the original.
    ///
    /// The order matters. Cancelling the original fires it (with
    /// `CancelledError`, or whatever its canceller answers), and that
    /// outcome would reach the new deferred through the forwarding step
    /// first; firing ours first makes sure the outcome chosen here is the
    /// one that goes down the chain.
    pub fn fire(&self, outcome: Result<T, Failure>) -> Result<(), AlreadyCalled> {
        self.ours.fire(outcome)?;
        self.original.cancel();
        Ok(())
    }

    /// Cancels the new deferred, which cancels the original. The new
    /// deferred gets what the original gets: `CancelledError`, or whatever
    /// the original's canceller fires it with. Does nothing if the new
    /// deferred has fired already.
    pub fn cancel(&self) {
        self.ours_handle.cancel();
    }

    /// Whether the new deferred has fired, whoever fired it.
    pub fn is_called(&self) -> bool {
        self.ours.is_called()
    }
}
// ANCHOR_END: fire

impl<T> Clone for Control<T> {
    fn clone(&self) -> Control<T> {
        Control {
            ours: self.ours.clone(),
            ours_handle: self.ours_handle.clone(),
            original: self.original.clone(),
        }
    }
}

impl<T> std::fmt::Debug for Control<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").field("ours", &self.ours).finish()
    }
}
