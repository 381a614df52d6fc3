//! Cancelling on tokio, side by side with `Deferred::cancel`.
//!
//! - **Dropping a future** is tokio's `cancel`: a future only makes
//!   progress when it is polled, so one that is dropped simply stops, and
//!   whatever it owned (a socket) is dropped with it. There is no
//!   canceller to write: the destructors are the cancellers.
//! - **`JoinHandle::abort`** cancels a *spawned* task, which would
//!   otherwise run whether anyone waits for it or not; awaiting the handle
//!   then gives a `JoinError` that `is_cancelled`.
//! - **`CancellationToken`** (from `tokio_util`) says "stop" to any number
//!   of tasks at once; each decides where it listens, in a `select!`.
//! - **Cancellation safety**: a future dropped half-way loses whatever it
//!   had done and not handed back. `read` is safe to drop (a read that
//!   has not completed has taken nothing); `read_exact` is not (the bytes
//!   it had already read are gone with it). Tokio's documentation says,
//!   method by method, which are which.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use part_02::FetchError;
use part_06::tokio_poetry::get_poetry;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::task::JoinError;
use tokio_util::sync::CancellationToken;

// ANCHOR: token
/// A poem, unless `stop` is cancelled first (then `None`, and the download
/// future, with its socket, is dropped).
pub async fn poem_unless_stopped(
    addr: SocketAddr,
    stop: CancellationToken,
) -> Option<Result<Vec<u8>, FetchError>> {
    tokio::select! {
        poem = get_poetry(addr) => Some(poem),
        () = stop.cancelled() => None,
    }
}
// ANCHOR_END: token

// ANCHOR: abort
/// Spawns a download, lets it run for `after`, aborts it, and returns what
/// awaiting its handle gives: the poem if it was quicker than that, or the
/// `JoinError` of a cancelled task.
pub async fn abort_after(
    addr: SocketAddr,
    after: Duration,
) -> Result<Result<Vec<u8>, FetchError>, JoinError> {
    let download = tokio::task::spawn_local(get_poetry(addr));
    tokio::time::sleep(after).await;
    download.abort();
    download.await
}
// ANCHOR_END: abort

// ANCHOR: unsafe_read
/// Reads an 8-byte header while a timer ticks every `tick`, with
/// `read_exact` in the `select!`: *not* cancellation-safe. When the timer
/// wins, the `read_exact` under way is dropped, and the bytes it had read
/// are lost. Returns the header as read, and how many ticks there were.
pub async fn header_with_read_exact(
    socket: &mut TcpStream,
    tick: Duration,
) -> io::Result<([u8; 8], usize)> {
    let mut header = [0; 8];
    let mut ticks = 0;
    loop {
        tokio::select! {
            read = socket.read_exact(&mut header) => {
                read?;
                return Ok((header, ticks));
            }
            () = tokio::time::sleep(tick) => ticks += 1,
        }
    }
}
// ANCHOR_END: unsafe_read

// ANCHOR: safe_read
/// The same with `read`, which is cancellation-safe: every byte a
/// completed `read` returned is kept in `got`, outside the `select!`, and a
/// `read` that is dropped had read nothing.
pub async fn header_with_read(
    socket: &mut TcpStream,
    tick: Duration,
) -> io::Result<([u8; 8], usize)> {
    let mut got = Vec::with_capacity(8);
    let mut ticks = 0;
    while got.len() < 8 {
        let mut chunk = [0; 8];
        let want = 8 - got.len();
        tokio::select! {
            read = socket.read(&mut chunk[..want]) => match read? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => got.extend_from_slice(&chunk[..n]),
            },
            () = tokio::time::sleep(tick) => ticks += 1,
        }
    }
    let mut header = [0; 8];
    header.copy_from_slice(&got);
    Ok((header, ticks))
}
// ANCHOR_END: safe_read
