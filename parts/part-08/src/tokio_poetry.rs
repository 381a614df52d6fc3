//! Client 4.0 as a Rust programmer writes it today: an `async fn` on tokio.
//!
//! A deferred is a value that stands for a result to come, with the
//! program's next steps attached to it. A future is that too, with one
//! difference that changes how the code reads: the next steps are not
//! closures handed to the value, they are simply the code after `.await`.
//! So `get_poetry` here returns the poem, or the error, as an ordinary
//! `Result`; `?` does what the errback chain did; `tokio::time::timeout`
//! does what racing a timer against a deferred did; and `join_all` waits
//! for every download at once, as client 4.0's countdown did.
//!
//! The chunk lines need one thing a `Result` cannot give: news while the
//! download is still going on. That stays a callback, `on_chunk`, called
//! with each chunk's size as it arrives.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use futures::future::join_all;
use part_02::cli::Timeouts;
use part_02::{FetchError, report};
use part_06::Task;
use tokio::time::timeout;

use part_07::TimedOut;

/// Why a download with a time limit has no poem: the download failed, or
/// it took too long.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The connection was refused or lost.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The time limit passed first.
    #[error(transparent)]
    TimedOut(#[from] TimedOut),
}

/// Downloads the poem at `addr`, calling `on_chunk` with the size of each
/// chunk as it arrives; returns the poem, or why there is none. This is
/// part 5's tokio download, unchanged: an `async fn` returned its result
/// all along, so it already is client 4.0's `get_poetry`.
pub use part_05::tokio_client::download as get_poetry;

// ANCHOR: within
/// [`get_poetry`] with a time limit. When the limit passes first, the
/// download's future is dropped, which closes its socket: in Rust, giving
/// up on a future *is* cancelling it.
pub async fn get_poetry_within(
    addr: SocketAddr,
    timeouts: Timeouts,
    limit: Duration,
    on_chunk: impl FnMut(usize),
) -> Result<Vec<u8>, DownloadError> {
    let poem = timeout(limit, get_poetry(addr, timeouts, on_chunk))
        .await
        .map_err(|_elapsed| TimedOut(limit))??;
    Ok(poem)
}
// ANCHOR_END: within

// ANCHOR: get_poem
/// One task of client 4.0 on tokio: the download, then what client 4.0's
/// callback or errback would print. The poem, if there is one.
async fn get_poem(task: &Task, limit: Option<Duration>) -> Option<Vec<u8>> {
    let on_chunk = |bytes| task.report_chunk(bytes);
    let outcome = match limit {
        Some(limit) => get_poetry_within(task.addr, task.timeouts, limit, on_chunk).await,
        None => get_poetry(task.addr, task.timeouts, on_chunk)
            .await
            .map_err(Into::into),
    };
    match outcome {
        Ok(poem) => {
            task.printer.out(&report::finished(task.number));
            Some(poem)
        }
        Err(error) => {
            let line = report::failed(task.number, &task.address, error);
            task.printer.err(&line);
            None
        }
    }
}

/// Every task at once, with an optional time limit for each download.
/// `join_all` polls all the downloads together, in this one task, and
/// gives back their poems in the order of the tasks.
pub async fn get_poems(tasks: &[Task], limit: Option<Duration>) -> Vec<Option<Vec<u8>>> {
    join_all(tasks.iter().map(|task| get_poem(task, limit))).await
}
// ANCHOR_END: get_poem

/// Runs `future` to the end on a current-thread runtime: one thread, like
/// our reactor. (Part 6's helper, used here too.)
pub fn block_on<F: Future>(future: F) -> io::Result<F::Output> {
    part_06::tokio_poetry::block_on(future)
}
