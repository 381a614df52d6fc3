//! The pieces of the two Haskell clients, on part 17's runtime.
//!
//! The series' first Haskell client forks one lightweight thread per
//! poem, and each thread consumes the lines of `hGetContents` as they
//! arrive. The second forks a thread per poem that only connects, and the
//! main thread prints the poems in order: printing forces the lazy string,
//! and the runtime reads the socket as the printing needs it.
//!
//! In Rust both are a [`poem_lines`] stream per server. What differs is
//! who polls it. Client 1 gives each stream a task of its own, which
//! polls it and prints every line as it comes. Client 2 wants the poems in
//! order, but all of them downloading at once; a stream that nobody polls
//! does nothing at all, so [`read_ahead`] gives each stream a task that
//! polls it into a bounded channel, and the main task takes the lines out
//! of the channels in order.

use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::Duration;

use async_stream::try_stream;
use futures::channel::mpsc;
use futures::io::AsyncRead;
use futures::{SinkExt, Stream, StreamExt};
use part_02::FetchError;
use part_02::cli::{Timeouts, print_bytes, print_line};
use part_07::DeferredFuture;
use part_17::{Runtime, TcpStream, timeout};

use crate::lines::lines;

/// How many lines [`read_ahead`] keeps for a poem nobody is printing yet.
/// When they are all waiting, its task stops reading (and the kernel's
/// buffers, then the server, wait too) until the printing catches up.
pub const LINES_AHEAD: usize = 256;

/// A reader that fails with part 2's [`Timeouts::silent`] error once the
/// other end has sent nothing for the idle limit: our runtime's
/// counterpart of part 5's tokio `PatientStream`. The timer is one of the
/// runtime's sleeps, started when a read has to wait and dropped
/// (cancelled) when data comes.
pub struct Patient<R> {
    reader: R,
    runtime: Runtime,
    idle: Option<Duration>,
    sleep: Option<DeferredFuture<()>>,
}

impl<R> Patient<R> {
    /// `reader`, giving up after `idle` of silence (`None`: never).
    pub fn new(runtime: &Runtime, reader: R, idle: Option<Duration>) -> Patient<R> {
        Patient {
            reader,
            runtime: runtime.clone(),
            idle,
            sleep: None,
        }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Patient<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Poll::Ready(done) = Pin::new(&mut this.reader).poll_read(cx, buf) {
            this.sleep = None;
            return Poll::Ready(done);
        }
        let Some(limit) = this.idle else {
            return Poll::Pending;
        };
        let runtime = &this.runtime;
        let sleep = this
            .sleep
            .get_or_insert_with(|| runtime.sleep(limit).into_future());
        match Pin::new(sleep).poll(cx) {
            Poll::Ready(_) => {
                this.sleep = None;
                Poll::Ready(Err(Timeouts::silent(limit)))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Connects to `addr` on `runtime`, giving up after the connect timeout.
pub async fn connect(
    runtime: &Runtime,
    addr: SocketAddr,
    timeouts: Timeouts,
) -> Result<TcpStream, FetchError> {
    let connecting = TcpStream::connect(runtime.reactor(), addr);
    match timeout(runtime, timeouts.connect_timeout, connecting).await {
        Ok(connected) => connected.map_err(FetchError::Connect),
        Err(_late) => Err(FetchError::Connect(io::ErrorKind::TimedOut.into())),
    }
}

// ANCHOR: poem_lines
/// The poem at `addr` as a stream of lines. Creating it does nothing:
/// the first poll connects, and each poll after that reads until one
/// more line is complete.
pub fn poem_lines(
    runtime: &Runtime,
    addr: SocketAddr,
    timeouts: Timeouts,
) -> impl Stream<Item = Result<Vec<u8>, FetchError>> + 'static {
    let runtime = runtime.clone();
    try_stream! {
        let socket = connect(&runtime, addr, timeouts).await?;
        let socket = Patient::new(&runtime, socket, timeouts.idle());
        let mut received = 0;
        let mut lines = pin!(lines(socket));
        while let Some(line) = lines.next().await {
            let line = line.map_err(|e| FetchError::on_socket(received, e))?;
            received += line.len();
            yield line;
        }
    }
}
// ANCHOR_END: poem_lines

// ANCHOR: read_ahead
/// Starts polling `stream` now, in a task of its own, and returns a
/// stream of the same items that may be read later: the items wait in a
/// channel of [`LINES_AHEAD`]. Dropping the returned stream stops the
/// task at its next item.
pub fn read_ahead<S>(runtime: &Runtime, stream: S) -> impl Stream<Item = S::Item> + 'static
where
    S: Stream + 'static,
{
    let (pumping, items) = pump(stream);
    let _task = runtime.spawn(pumping);
    items
}

/// The work of a read-ahead task, and the stream it fills: a future that
/// polls `stream` and sends each item into a channel of [`LINES_AHEAD`]
/// (waiting when it is full), and the channel's receiving end.
pub fn pump<S: Stream>(stream: S) -> (impl Future<Output = ()>, impl Stream<Item = S::Item>) {
    let (mut sender, receiver) = mpsc::channel(LINES_AHEAD);
    let pumping = async move {
        let mut stream = pin!(stream);
        while let Some(item) = stream.next().await {
            if sender.send(item).await.is_err() {
                break; // nobody will read these items
            }
        }
    };
    (pumping, receiver)
}
// ANCHOR_END: read_ahead

/// The lines of a poem as the series' first Haskell client reports them:
/// `Task N: got B bytes of poetry from ADDRESS`, where B counts the line
/// and its newline.
pub fn got_line(task: usize, line: &[u8], address: impl std::fmt::Display) -> String {
    part_02::report::got_chunk(task, line.len(), address)
}

// ANCHOR: client_1
/// One task of the first client: prints a report for each line of the
/// poem as it arrives, then the poem and a blank line, as the original's
/// `putStrLn` prints it. Says whether the poem came whole
/// (a failure is reported on standard error).
pub async fn print_as_it_comes(
    task: usize,
    address: impl std::fmt::Display,
    lines: impl Stream<Item = Result<Vec<u8>, FetchError>>,
) -> bool {
    let mut lines = pin!(lines);
    let mut poem = Vec::new();
    while let Some(line) = lines.next().await {
        match line {
            Ok(line) => {
                print_line(got_line(task, &line, &address));
                poem.extend_from_slice(&line);
            }
            Err(error) => {
                eprintln!("{}", part_02::report::failed(task, &address, error));
                return false;
            }
        }
    }
    poem.push(b'\n'); // the original's `putStrLn`: a blank line after the poem
    print_bytes(&poem);
    true
}
// ANCHOR_END: client_1

// ANCHOR: client_2
/// The main task of the second client: prints the poems in the order
/// given, each line as soon as it is there, and a blank line after each
/// whole poem (the original's `putStrLn`). Returns how many failed (each
/// failure is reported on standard error when its poem's turn comes).
pub async fn print_in_order<S, A>(poems: Vec<(S, A)>) -> usize
where
    S: Stream<Item = Result<Vec<u8>, FetchError>>,
    A: std::fmt::Display,
{
    let mut failed = 0;
    for (poem, address) in poems {
        let mut poem = pin!(poem);
        let mut whole = true;
        while let Some(line) = poem.next().await {
            match line {
                Ok(line) => print_bytes(&line),
                Err(error) => {
                    eprintln!("failed to get poetry from {address}: {error}");
                    failed += 1;
                    whole = false;
                }
            }
        }
        if whole {
            print_bytes(b"\n"); // the original's `putStrLn`: a blank line after each poem
        }
    }
    failed
}
// ANCHOR_END: client_2

/// Waits for every future in `all`, in order, and returns their outputs:
/// how a client's main task collects its tasks.
pub async fn in_order<F: IntoFuture>(all: Vec<F>) -> Vec<F::Output> {
    let mut outputs = Vec::with_capacity(all.len());
    for future in all {
        outputs.push(future.await);
    }
    outputs
}
