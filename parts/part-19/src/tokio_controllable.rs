//! The controllable deferred on tokio: a `oneshot` channel raced against
//! the original future with `select!`.
//!
//! Whoever holds the [`TokioControl`] can send a value down the channel;
//! the `select!` takes whichever is ready first, the original's output or
//! the value sent (the value, if both are ready at one poll), and drops
//! the other branch. Dropping the original's
//! future is tokio's cancel, so the work stops the moment the control
//! wins, as [`Control`](crate::controllable::Control) cancels the
//! original deferred. There is no `cancel` method: dropping the
//! controlled future cancels it and the original with it.

use std::future::Future;

use tokio::sync::oneshot;

// ANCHOR: tokio_control
/// Sends the controlled future its output, ahead of the original.
#[derive(Debug)]
pub struct TokioControl<T>(oneshot::Sender<T>);

impl<T> TokioControl<T> {
    /// Makes the controlled future finish with `value` (and drop the
    /// original) at its next poll. Gives `value` back if it is too late:
    /// the original finished first, or the controlled future was dropped.
    pub fn fire(self, value: T) -> Result<(), T> {
        self.0.send(value)
    }
}

/// `original`, with a control that can finish it early. A control that is
/// dropped unused leaves the original to finish by itself.
pub fn take_control<F: Future>(
    original: F,
) -> (impl Future<Output = F::Output>, TokioControl<F::Output>) {
    let (told, listen) = oneshot::channel();
    let controlled = async move {
        tokio::pin!(original);
        tokio::select! {
            // In this order: a value sent wins even if the original is
            // ready at the same poll (unbiased, `select!` would pick one
            // of the two at random).
            biased;
            sent = listen => match sent {
                Ok(value) => value,
                // The control was dropped unused: wait for the original.
                Err(_) => original.await,
            },
            output = &mut original => output,
        }
    };
    (controlled, TokioControl(told))
}
// ANCHOR_END: tokio_control
