//! The first success on tokio: futures raced in a `FuturesUnordered`.
//!
//! The `futures` crate has this idiom built in as
//! [`select_ok`](futures::future::select_ok): it returns the first `Ok`
//! (and the futures still running, which the caller drops to cancel
//! them), or, when all fail, the error of the one that failed *last*.
//! That loses every other error. [`first_ok`] keeps them all, in the
//! order the futures were given, as [`AllFailed`](crate::first_success::AllFailed)
//! does, and since it owns the futures, returning drops (cancels) the
//! ones still running.

use std::future::Future;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

// ANCHOR: first_ok
/// The first `Ok` of `futures`, run at once; the others are dropped when
/// it arrives. If every future fails: every error, in the order given.
pub async fn first_ok<T, E, F>(futures: impl IntoIterator<Item = F>) -> Result<T, Vec<E>>
where
    F: Future<Output = Result<T, E>>,
{
    let mut racing: FuturesUnordered<_> = futures
        .into_iter()
        .enumerate()
        .map(|(index, future)| async move { (index, future.await) })
        .collect();
    let mut errors: Vec<Option<E>> = (0..racing.len()).map(|_| None).collect();
    while let Some((index, outcome)) = racing.next().await {
        match outcome {
            Ok(value) => return Ok(value), // `racing` is dropped: the rest stop
            Err(error) => errors[index] = Some(error),
        }
    }
    Err(errors.into_iter().flatten().collect())
}
// ANCHOR_END: first_ok
