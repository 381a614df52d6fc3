//! `get_poetry` as Rust writes it today: an `async fn` on tokio that
//! *returns* the poem or the error.
//!
//! Client 3.1 had to be told where to send its result, because by the time
//! there was a result, the code that asked for it was gone. An `async fn`
//! turns that around: the caller's code is not gone, only suspended at its
//! `.await`, and the result comes back to it as a return value. An error
//! is then an ordinary `Err`, and `?` passes it up the caller's own chain
//! of calls, which the compiler has kept alive inside the future.

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use part_02::FetchError;
use part_02::cli::Timeouts;
use part_05::tokio_client::connect;
use tokio::io::AsyncReadExt;
use tokio::task::{self, LocalSet};

// ANCHOR: get_poetry
/// Downloads the poem at `addr`: the poem, or why there is none.
pub async fn get_poetry(addr: SocketAddr) -> Result<Vec<u8>, FetchError> {
    // Part 5's `connect`: `TcpStream::connect` with the default limits.
    let mut socket = connect(addr, Timeouts::default())
        .await
        .map_err(FetchError::Connect)?;
    let mut poem = Vec::new();
    match socket.read_to_end(&mut poem).await {
        Ok(_) => Ok(poem),
        Err(source) => Err(FetchError::Lost {
            received: poem.len(),
            source,
        }),
    }
}
// ANCHOR_END: get_poetry

// ANCHOR: question_mark
/// Two poems, one after the other. The first failure ends this function
/// too: `?` returns it to whoever awaited `two_poems`.
pub async fn two_poems(
    first: SocketAddr,
    second: SocketAddr,
) -> Result<(Vec<u8>, Vec<u8>), FetchError> {
    let one = get_poetry(first).await?;
    let two = get_poetry(second).await?;
    Ok((one, two))
}
// ANCHOR_END: question_mark

// ANCHOR: join_handles
/// One task per address, all at once. Each task's `JoinHandle` gives back
/// what the task returned (a poem or a `FetchError`), in the order of the
/// addresses; a task that panicked gives back a `JoinError` instead, which
/// becomes a failure here.
pub async fn get_poems(addresses: &[SocketAddr]) -> Vec<Result<Vec<u8>, FetchError>> {
    let handles: Vec<_> = addresses
        .iter()
        .map(|&addr| task::spawn_local(get_poetry(addr)))
        .collect();
    let mut poems = Vec::with_capacity(handles.len());
    for handle in handles {
        poems.push(match handle.await {
            Ok(outcome) => outcome,
            Err(join_error) => Err(FetchError::Lost {
                received: 0,
                source: io::Error::other(join_error),
            }),
        });
    }
    poems
}
// ANCHOR_END: join_handles

/// Runs `future` to the end on a current-thread runtime (one thread, like
/// our reactor), inside a `LocalSet` so that it may spawn local tasks.
pub fn block_on<F: Future>(future: F) -> io::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(LocalSet::new().block_on(&runtime, future))
}
