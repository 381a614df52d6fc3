//! The same service on tokio, stopping gracefully the way tokio programs
//! do (tokio's mini-redis is the model): a shutdown signal that the accept
//! loop selects on, and a tracker of the tasks in flight that the program
//! waits on, with a deadline, before it exits.
//!
//! The pieces map one to one onto ours. The accept loop's `select!` on
//! the shutdown future is the "before" trigger that closes the port; the
//! [`TaskTracker`] is the [`DeferredPool`](crate::DeferredPool) (a task
//! is counted from `spawn` until it ends); `tracker.wait()` under
//! `tokio::time::timeout` is `wait_empty` with its deadline. What tokio
//! has no word for is the service tree: a tokio program's `main` starts
//! its pieces in order and stops them in reverse by hand, as ordinary
//! code.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::task::TaskTracker;

/// How the server sends a poem: `num_bytes` every `delay`, or all at once
/// if `delay` is zero.
#[derive(Clone, Copy, Debug)]
pub struct Pacing {
    /// Bytes per chunk.
    pub num_bytes: usize,
    /// Time between chunks (zero: the whole poem at once).
    pub delay: Duration,
}

// ANCHOR: serve
/// Serves `poem` to every client of `listener` until `shutdown` completes;
/// then stops accepting, and waits up to `deadline` for the clients being
/// served. Returns how many it gave up on.
pub async fn serve(
    listener: TcpListener,
    poem: Arc<[u8]>,
    pacing: Pacing,
    shutdown: impl Future<Output = ()>,
    deadline: Duration,
) -> usize {
    let tracker = TaskTracker::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    tracing::info!("{peer} wants poetry");
                    tracker.spawn(send_poem(socket, Arc::clone(&poem), pacing));
                }
                Err(error) => tracing::warn!("cannot accept a connection: {error}"),
            },
            () = &mut shutdown => break,
        }
    }
    tracing::info!("shutting down");
    drop(listener); // the port closes: new clients are refused
    tracker.close(); // no more tasks; `wait` ends when these have
    tracing::info!("waiting for {} client(s) to be served", tracker.len());
    match tokio::time::timeout(deadline, tracker.wait()).await {
        Ok(()) => 0,
        Err(_) => {
            tracing::warn!("gave up on {} client(s)", tracker.len());
            tracker.len()
        }
    }
}
// ANCHOR_END: serve

/// Sends the poem, paced, and logs how it went.
async fn send_poem(mut socket: TcpStream, poem: Arc<[u8]>, pacing: Pacing) {
    let peer = socket
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let sent: io::Result<()> = async {
        if pacing.delay.is_zero() {
            return socket.write_all(&poem).await;
        }
        for chunk in poem.chunks(pacing.num_bytes.max(1)) {
            socket.write_all(chunk).await?;
            tokio::time::sleep(pacing.delay).await;
        }
        Ok(())
    }
    .await;
    match sent.and(socket.shutdown().await) {
        Ok(()) => tracing::info!("sent {} bytes of poetry to {peer}", poem.len()),
        Err(error) => tracing::warn!("{peer} hung up ({error})"),
    }
}

// ANCHOR: signal
/// Starts listening for `SIGINT` and `SIGTERM` now, and returns a future
/// that completes on the first of them. (Registering inside the future
/// would miss a signal that arrives before it is first polled.)
pub fn shutdown_signal() -> io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}
// ANCHOR_END: signal
