//! Retrying on tokio: the loop crates such as `tokio-retry` and `backoff`
//! package, written by hand.
//!
//! The delays are the same [`Backoff`](crate::retry::Backoff) iterator
//! (it is plain Rust, with no runtime in it), and the loop is the same
//! loop, with `tokio::time::sleep` for the runtime's sleep and an error
//! type of the caller's choosing for `Failure`. Cancelling is dropping the
//! future: whichever `.await` it is paused at, the sleep or the attempt,
//! is dropped with it.

use std::future::Future;
use std::time::Duration;

// ANCHOR: tokio_retry
/// Awaits `attempt()` until it gives `Ok`, sleeping the next of `delays`
/// after each error for which `worth_retrying` says `true`. Gives up with
/// an error not worth retrying, or with the last error when the delays run
/// out.
pub async fn retry<T, E, Fut>(
    delays: impl IntoIterator<Item = Duration>,
    mut worth_retrying: impl FnMut(&E) -> bool,
    mut attempt: impl FnMut() -> Fut,
) -> Result<T, E>
where
    Fut: Future<Output = Result<T, E>>,
{
    let mut delays = delays.into_iter();
    loop {
        let error = match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        match delays.next() {
            Some(delay) if worth_retrying(&error) => tokio::time::sleep(delay).await,
            _ => return Err(error),
        }
    }
}
// ANCHOR_END: tokio_retry
