//! Client 7.0's one task, download then transform, as straight-line code:
//! on our runtime (awaiting part 8's and part 12's deferreds), and on
//! tokio.
//!
//! Client 6.0 needed a chain of four callbacks and an inner deferred with
//! its own errback for the same steps. Here the steps are lines, the
//! fallback to the original poem is a `match`, and a failed download
//! leaves through `?`. The deferreds have not gone anywhere: each `.await`
//! adds a callback to one, and the reactor still calls it.

use std::net::SocketAddr;

use part_02::cli::Timeouts;
use part_03::Reactor;
use part_06::Task;
use part_07::Failure;
use part_08::get_poetry;
use part_12::netstring::{self, Decoder};
use part_12::{ProxyError, Request, TransformProxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ANCHOR: get_transformed_poem
/// Downloads `task`'s poem and has `proxy` apply the transform `name` to
/// it: the transformed poem, or the original if the transform failed (a
/// line on the task's error stream says so), or the download's failure.
pub async fn get_transformed_poem(
    reactor: Reactor,
    task: Task,
    proxy: TransformProxy,
    name: String,
) -> Result<String, Failure> {
    let poem = String::from_utf8(get_poetry(&reactor, &task).await?)?;
    match proxy.xform(&name, &poem).await {
        Ok(new) => {
            let line = format!("Task {}: transformed by {name}", task.number);
            task.printer.out(&line);
            Ok(new)
        }
        Err(failure) => {
            task.printer.err(&format!(
                "Task {}: {name} failed ({}); keeping the original poem",
                task.number,
                failure.message()
            ));
            Ok(poem)
        }
    }
}
// ANCHOR_END: get_transformed_poem

/// Why a download on tokio has no poem: the download failed, or its bytes
/// are not text.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The connection was refused or lost.
    #[error(transparent)]
    Fetch(#[from] part_02::FetchError),
    /// The poem is not UTF-8 text.
    #[error("the poem is not UTF-8 text: {0}")]
    NotUtf8(#[from] std::string::FromUtf8Error),
}

// ANCHOR: tokio
/// The same task on tokio: the download is part 5's, the transform
/// [`xform`].
pub async fn get_transformed_poem_tokio(
    task: &Task,
    transformer: SocketAddr,
    name: &str,
) -> Result<String, DownloadError> {
    let bytes =
        part_05::tokio_client::download(task.addr, task.timeouts, |n| task.report_chunk(n)).await?;
    let poem = String::from_utf8(bytes)?;
    match xform(transformer, task.timeouts, name, &poem).await {
        Ok(new) => {
            let line = format!("Task {}: transformed by {name}", task.number);
            task.printer.out(&line);
            Ok(new)
        }
        Err(error) => {
            task.printer.err(&format!(
                "Task {}: {name} failed ({error}); keeping the original poem",
                task.number
            ));
            Ok(poem)
        }
    }
}

/// Part 12's `TransformProxy::xform` on tokio: one netstring out, one
/// back, with the same errors, giving up on a server silent for longer
/// than `timeouts` allow.
pub async fn xform(
    addr: SocketAddr,
    timeouts: Timeouts,
    name: &str,
    poem: &str,
) -> Result<String, ProxyError> {
    let mut socket = part_05::tokio_client::connect(addr, timeouts)
        .await
        .map_err(ProxyError::Connect)?;
    socket
        .get_mut()
        .write_all(&Request::encode(name, poem))
        .await
        .map_err(ProxyError::Lost)?;
    let mut decoder = Decoder::new(netstring::DEFAULT_MAX_LENGTH);
    let mut buffer = vec![0; 4096];
    loop {
        if let Some(reply) = decoder.next_message()? {
            return Ok(String::from_utf8(reply)?);
        }
        match socket.read(&mut buffer).await {
            Ok(0) => return Err(ProxyError::NoReply),
            Ok(n) => decoder.push(&buffer[..n]),
            Err(e) => return Err(ProxyError::Lost(e)),
        }
    }
}
// ANCHOR_END: tokio
