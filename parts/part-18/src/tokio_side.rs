//! Waiting for many futures on tokio, side by side with the list's
//! options.
//!
//! | `DeferredList` as …                          | in the futures world |
//! |----------------------------------------------|----------------------|
//! | no options: every outcome, in order           | [`join_all`] over futures that return `Result` |
//! | `fire_on_one_errback` (and `gather_results`)  | [`try_join_all`]: the values, or the first error |
//! | `fire_on_one_callback`                        | [`select_ok`]: the first success (all failed: the last error) |
//! | outcomes as they come, not in order           | [`FuturesUnordered`], or a [`JoinSet`] of tasks |
//!
//! What happens to the losers differs. A deferred list never stops its
//! members: they run on and fire, and their chains go on. `try_join_all`
//! and `select_ok` *drop* the futures that have not finished once they
//! have their answer, and a dropped future does no more work (its socket
//! is closed). A `JoinSet` holds spawned tasks, which run whether or not
//! anyone waits for them, until the set is dropped: then they are aborted.
//!
//! [`join_all`]: futures::future::join_all
//! [`try_join_all`]: futures::future::try_join_all
//! [`select_ok`]: futures::future::select_ok
//! [`FuturesUnordered`]: futures::stream::FuturesUnordered
//! [`JoinSet`]: tokio::task::JoinSet

use std::net::SocketAddr;

use futures::StreamExt;
use futures::future::{join_all, select_ok, try_join_all};
use futures::stream::FuturesUnordered;
use part_02::FetchError;
use part_06::tokio_poetry::get_poetry;
use tokio::task::JoinSet;

// ANCHOR: join_all
/// Every poem's outcome, in the order of `addrs`: a deferred list with no
/// options.
pub async fn all_outcomes(addrs: &[SocketAddr]) -> Vec<Result<Vec<u8>, FetchError>> {
    join_all(addrs.iter().map(|&addr| get_poetry(addr))).await
}

/// Every poem, or the first failure: `gather_results`. The downloads
/// still running when one fails are dropped.
pub async fn all_or_first_error(addrs: &[SocketAddr]) -> Result<Vec<Vec<u8>>, FetchError> {
    try_join_all(addrs.iter().map(|&addr| get_poetry(addr))).await
}

/// The first poem to arrive, and its index: `fire_on_one_callback`. The
/// other downloads are dropped. If every download fails, the last error.
pub async fn first_poem(addrs: &[SocketAddr]) -> Result<(Vec<u8>, usize), FetchError> {
    let downloads = addrs.iter().enumerate().map(|(index, &addr)| {
        Box::pin(async move { get_poetry(addr).await.map(|poem| (poem, index)) })
    });
    let (first, _still_running) = select_ok(downloads).await?;
    Ok(first)
}
// ANCHOR_END: join_all

// ANCHOR: unordered
/// Every outcome, with its index, in the order they finish.
pub async fn as_they_come(addrs: &[SocketAddr]) -> Vec<(usize, Result<Vec<u8>, FetchError>)> {
    let mut pending: FuturesUnordered<_> = addrs
        .iter()
        .enumerate()
        .map(|(index, &addr)| async move { (index, get_poetry(addr).await) })
        .collect();
    let mut finished = Vec::with_capacity(addrs.len());
    while let Some(done) = pending.next().await {
        finished.push(done);
    }
    finished
}

/// The same with spawned tasks in a `JoinSet` (which needs a `LocalSet`
/// here only because the rest of our tokio code is single-threaded).
pub async fn as_they_come_spawned(
    addrs: &[SocketAddr],
) -> Vec<(usize, Result<Vec<u8>, FetchError>)> {
    let mut set = JoinSet::new();
    for (index, &addr) in addrs.iter().enumerate() {
        set.spawn_local(async move { (index, get_poetry(addr).await) });
    }
    let mut finished = Vec::with_capacity(addrs.len());
    while let Some(done) = set.join_next().await {
        if let Ok(done) = done {
            finished.push(done);
        }
    }
    finished
}
// ANCHOR_END: unordered
