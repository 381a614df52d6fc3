//! Client 2.0 on tokio: the same downloads, the same lines, no reactor of
//! our own.
//!
//! Tokio has a reactor too (on Linux, `epoll` through `mio`, like ours),
//! and its `TcpStream` is transport and reactor registration in one. What
//! was a protocol object with callbacks becomes a *task*: an `async fn`
//! that reads in a loop, with `.await` where our protocol would have
//! returned to the reactor and waited to be called again. The runtime here
//! is a current-thread one, so, as with our reactor, everything runs on
//! one thread.

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use part_02::FetchError;
use part_02::cli::Timeouts;
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::task::{self, LocalSet};
use tokio::time::{Instant, Sleep};

use crate::READ_SIZE;
use crate::client::{Event, Outcome};

/// How the tasks report, shared by all of them.
type Reporter = Rc<RefCell<dyn FnMut(Event<'_>)>>;

// ANCHOR: download
/// One download: connect, then read until the server closes the
/// connection, calling `on_chunk` with the size of each chunk as it
/// arrives. Returns the poem, or why there is none. Each `.await` is where
/// the task lets the others run.
pub async fn download(
    addr: SocketAddr,
    timeouts: Timeouts,
    mut on_chunk: impl FnMut(usize),
) -> Outcome {
    // `TcpStream::connect`, with a limit on the connect and on each read.
    let mut socket = connect(addr, timeouts).await.map_err(FetchError::Connect)?;
    let mut poem = Vec::new();
    let mut buffer = vec![0; READ_SIZE];
    loop {
        match socket.read(&mut buffer).await {
            // The server closed the connection: the poem is complete.
            Ok(0) => return Ok(poem),
            Ok(n) => {
                poem.extend_from_slice(&buffer[..n]);
                on_chunk(n);
            }
            Err(source) => {
                return Err(FetchError::Lost {
                    received: poem.len(),
                    source,
                });
            }
        }
    }
}
// ANCHOR_END: download

// ANCHOR: get_poem
/// One task: the download, with the same chunk lines, and the same
/// `finished` or `failed` report at the end, that client 2.0's protocol and
/// factory make.
async fn get_poem(task: usize, addr: SocketAddr, timeouts: Timeouts, report: Reporter) -> Outcome {
    let chunk = |bytes| (report.borrow_mut())(Event::Received { task, bytes });
    let outcome = download(addr, timeouts, chunk).await;
    match &outcome {
        Ok(_) => (report.borrow_mut())(Event::Finished { task }),
        Err(error) => (report.borrow_mut())(Event::Failed { task, error }),
    }
    outcome
}
// ANCHOR_END: get_poem

// ANCHOR: get_poetry
/// Downloads one poem per address, one task each, on a current-thread
/// runtime. Returns each task's outcome, in the order of the addresses;
/// fails as a whole only if the runtime cannot be built.
pub fn get_poetry(
    addresses: &[SocketAddr],
    timeouts: Timeouts,
    report: impl FnMut(Event<'_>) + 'static,
) -> io::Result<Vec<Outcome>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report: Reporter = Rc::new(RefCell::new(report));
    // A `LocalSet` runs tasks that stay on this thread, so they can share
    // the reporter through an `Rc`.
    let tasks = LocalSet::new();
    let outcomes = tasks.block_on(&runtime, async {
        let handles: Vec<_> = addresses
            .iter()
            .enumerate()
            .map(|(i, &addr)| {
                task::spawn_local(get_poem(i + 1, addr, timeouts, Rc::clone(&report)))
            })
            .collect();
        let mut outcomes = Vec::with_capacity(handles.len());
        for handle in handles {
            outcomes.push(handle.await.unwrap_or_else(|error| {
                Err(FetchError::Lost {
                    received: 0,
                    source: io::Error::other(error),
                })
            }));
        }
        outcomes
    });
    Ok(outcomes)
}
// ANCHOR_END: get_poetry

/// Connects to `addr` on tokio, giving up after the connect timeout, and
/// returns the connection as a [`PatientStream`], whose reads give up after
/// the idle timeout. The tokio side of part 2's
/// [`Timeouts`](part_02::cli::Timeouts).
pub async fn connect(addr: SocketAddr, timeouts: Timeouts) -> io::Result<PatientStream> {
    let socket = tokio::time::timeout(timeouts.connect_timeout, TcpStream::connect(addr))
        .await
        .map_err(|_elapsed| io::Error::from(io::ErrorKind::TimedOut))??;
    Ok(PatientStream::new(socket, timeouts.idle()))
}

/// A tokio connection whose reads fail (with part 2's
/// [`Timeouts::silent`] error) once the other end has sent nothing for
/// the idle limit. One timer per connection, pushed back at each arrival
/// of data; writes go straight through.
#[derive(Debug)]
pub struct PatientStream {
    socket: TcpStream,
    /// The limit, and the timer that says it is up.
    idle: Option<(Duration, Pin<Box<Sleep>>)>,
}

impl PatientStream {
    /// `socket`, with an idle limit (`None`: none) counted from now.
    pub fn new(socket: TcpStream, idle: Option<Duration>) -> PatientStream {
        let idle = idle.map(|limit| (limit, Box::pin(tokio::time::sleep(limit))));
        PatientStream { socket, idle }
    }

    /// The connection itself (for writing, or its addresses).
    pub fn get_mut(&mut self) -> &mut TcpStream {
        &mut self.socket
    }
}

impl AsyncRead for PatientStream {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buffer.filled().len();
        match Pin::new(&mut this.socket).poll_read(context, buffer) {
            Poll::Ready(result) => {
                if let Some((limit, timer)) = &mut this.idle
                    && buffer.filled().len() > before
                {
                    timer.as_mut().reset(Instant::now() + *limit);
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                if let Some((limit, timer)) = &mut this.idle
                    && timer.as_mut().poll(context).is_ready()
                {
                    return Poll::Ready(Err(Timeouts::silent(*limit)));
                }
                Poll::Pending
            }
        }
    }
}
