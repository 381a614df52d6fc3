//! A time limit around any future, written twice: by hand, as the
//! compiler would, and as an `async fn`.
//!
//! [`Timeout`] is a future that owns two others, the work and a sleep, and
//! polls both: whichever is ready first decides. Its `poll` must reach the
//! two futures inside it through `Pin<&mut Self>`. A future may hold
//! references into itself (an `async` block that borrows one of its own
//! locals across an `.await` does), so once polled it must never move, and
//! `Pin` is the promise that it will not. `pin-project` turns a pinned
//! struct into pinned fields, safely: that is the whole of `#[pin]`.
//!
//! [`timeout`] does the same in four lines of `async fn`. The compiler
//! writes for it a state machine much like [`Timeout`], with the work and
//! the sleep as its fields.

use std::future::{Future, IntoFuture};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::{Either, select};
use part_07::{DeferredFuture, TimedOut};

use crate::Runtime;

// ANCHOR: by_hand
/// The output of `future`, or [`TimedOut`] if `limit` passes first.
#[pin_project::pin_project]
pub struct Timeout<F> {
    #[pin]
    future: F,
    #[pin]
    sleep: DeferredFuture<()>,
    limit: Duration,
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, TimedOut>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project(); // Pin<&mut Self> into pinned fields
        if let Poll::Ready(output) = this.future.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match this.sleep.poll(cx) {
            Poll::Ready(_) => Poll::Ready(Err(TimedOut(*this.limit))),
            Poll::Pending => Poll::Pending, // both wakers are registered
        }
    }
}

/// Limits `future` to `limit` on `runtime`'s clock. Dropping the
/// [`Timeout`] (when it is ready, or before) cancels the sleep's timer.
pub fn with_timeout<F: IntoFuture>(
    runtime: &Runtime,
    limit: Duration,
    future: F,
) -> Timeout<F::IntoFuture> {
    Timeout {
        future: future.into_future(),
        sleep: runtime.sleep(limit).into_future(),
        limit,
    }
}
// ANCHOR_END: by_hand

// ANCHOR: async_fn
/// The same, as an `async fn`.
pub async fn timeout<F: IntoFuture>(
    runtime: &Runtime,
    limit: Duration,
    future: F,
) -> Result<F::Output, TimedOut> {
    match select(
        pin!(future.into_future()),
        runtime.sleep(limit).into_future(),
    )
    .await
    {
        Either::Left((output, _sleep)) => Ok(output),
        Either::Right(_) => Err(TimedOut(limit)),
    }
}
// ANCHOR_END: async_fn
