//! Lifted functions on tokio: nothing to lift. An `async fn` already takes
//! plain values and is called with `.await`ed ones, so
//! `reformat(cleanup(fetch().await?))` is the essays' nested call, and
//! `?` is their failure rule: a failed argument skips the call and passes
//! the error on. Two arguments at once are `tokio::try_join!`, which
//! returns the first error as soon as it happens and drops (stops) the
//! other future, as [`join2`](crate::lifted::join2) cancels the other
//! deferred.

use std::future::Future;

// ANCHOR: tokio_lifted
/// Fetches two poems at once with `fetch`, and joins their cleaned-up
/// texts; the first failure, as soon as it happens, is the answer.
pub async fn two_poems<F, Fut, E>(fetch: F, first: &str, second: &str) -> Result<String, E>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<String, E>>,
{
    let (a, b) = tokio::try_join!(fetch(first.to_string()), fetch(second.to_string()))?;
    Ok(format!("{} / {}", a.trim(), b.trim()))
}
// ANCHOR_END: tokio_lifted
