//! Proxy 2.0 on tokio.
//!
//! Each client is a task that `await`s the poem. The cache is the same
//! three states as [`proxy2`](crate::proxy2), with one change: what
//! waiting clients share while the poem is being fetched is the receiving
//! end of a [`tokio::sync::watch`] channel. The download runs as a task
//! of its own, which sends its outcome once; every waiting client's
//! `wait_for` wakes up and takes a copy.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_01::timeline::format_secs;
use part_02::cli::Timeouts;
use part_02::log;
use part_05::tokio_client::download;
use part_06::Printer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{self, LocalSet};

use crate::upstream::{Poem, UpstreamError, whole_poem};

/// What a download ends with.
type Outcome = Result<Poem, UpstreamError>;

/// What a client finds when it asks for the poem: the poem, or a channel
/// to wait on (and, for a download of its own, what cancels it).
enum Found {
    Ready(Poem),
    Wait(watch::Receiver<Option<Outcome>>, Option<Own>),
}

/// A download started for one client alone (without single-flight):
/// aborted if that client stops waiting for it, so that a client that
/// leaves takes its upstream connection with it.
struct Own(task::AbortHandle);

impl Drop for Own {
    fn drop(&mut self) {
        self.0.abort(); // nothing, if the download is over
    }
}

// ANCHOR: state
/// Where the tokio proxy stands.
enum State {
    Empty,
    /// A download is under way: its outcome will be sent on this channel.
    Fetching(watch::Receiver<Option<Outcome>>),
    Cached {
        poem: Poem,
        since: Instant,
    },
}
// ANCHOR_END: state

/// The tokio proxy's service: the upstream server and the cache.
pub struct TokioProxy {
    upstream: String,
    addr: SocketAddr,
    timeouts: Timeouts,
    state: RefCell<State>,
    max_age: Option<Duration>,
    single_flight: bool,
    downloads: Cell<usize>,
    log: Printer,
}

impl TokioProxy {
    /// A proxy for the upstream server at `addr` (named `upstream` in log
    /// lines), with the same options as proxy 2.0; its downloads give up
    /// on the server as `timeouts` say.
    pub fn new(
        upstream: impl Into<String>,
        addr: SocketAddr,
        timeouts: Timeouts,
        max_age: Option<Duration>,
        single_flight: bool,
        log: Printer,
    ) -> Rc<TokioProxy> {
        Rc::new(TokioProxy {
            upstream: upstream.into(),
            addr,
            timeouts,
            state: RefCell::new(State::Empty),
            max_age,
            single_flight,
            downloads: Cell::new(0),
            log,
        })
    }

    // ANCHOR: get_poem
    /// The poem: from the cache, from the download under way, or from a
    /// new one.
    pub async fn get_poem(self: &Rc<Self>) -> Outcome {
        // `_own` aborts this client's own download if it stops waiting.
        let (mut waiting, _own) = match self.look_up() {
            Found::Ready(poem) => return Ok(poem),
            Found::Wait(receiver, own) => (receiver, own),
        };
        // Nothing is borrowed across this await: the state is free for
        // the download and for every other client.
        let outcome = match waiting.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone(),
            Err(_) => None, // the download task is gone without a word
        };
        outcome.unwrap_or_else(|| Err(self.error("the download was abandoned".into())))
    }

    /// The cached poem, or a channel to wait on: the download under way's
    /// (single-flight), or a new one's.
    fn look_up(self: &Rc<Self>) -> Found {
        let mut state = self.state.borrow_mut();
        match &*state {
            State::Cached { poem, since } => match self.max_age {
                Some(max_age) if since.elapsed() > max_age => self.log.out(&format!(
                    "The cached poem is {} old; fetching it again.",
                    format_secs(since.elapsed())
                )),
                _ => {
                    self.log.out("Using cached poem.");
                    return Found::Ready(Rc::clone(poem));
                }
            },
            State::Fetching(receiver) if self.single_flight => {
                self.log.out("Waiting for the download under way.");
                return Found::Wait(receiver.clone(), None);
            }
            _ => self.log.out("Fetching poem from server."),
        }
        let (sender, receiver) = watch::channel(None);
        if self.single_flight {
            *state = State::Fetching(receiver.clone());
        }
        drop(state);
        // The download is a task of its own: a shared one goes on even if
        // the client that started it hangs up.
        let download = task::spawn_local(Rc::clone(self).download(sender));
        let own = (!self.single_flight).then(|| Own(download.abort_handle()));
        Found::Wait(receiver, own)
    }
    // ANCHOR_END: get_poem

    // ANCHOR: download
    /// One download: update the state, then tell whoever waits.
    async fn download(self: Rc<Self>, done: watch::Sender<Option<Outcome>>) {
        self.downloads.set(self.downloads.get() + 1);
        let download = download(self.addr, self.timeouts, |_| {}).await;
        let outcome = whole_poem(download.map_err(|error| error.to_string()))
            .map_err(|reason| self.error(reason));
        let next = match &outcome {
            Ok(poem) => State::Cached {
                poem: Rc::clone(poem),
                since: Instant::now(),
            },
            Err(error) => {
                self.log.err(&format!("The download failed: {error}"));
                State::Empty
            }
        };
        {
            let mut state = self.state.borrow_mut();
            // Without single-flight a failed download leaves the state alone.
            if self.single_flight || outcome.is_ok() {
                *state = next;
            }
        }
        done.send_replace(Some(outcome));
    }
    // ANCHOR_END: download

    fn error(&self, reason: String) -> UpstreamError {
        UpstreamError {
            upstream: self.upstream.clone(),
            reason,
        }
    }

    /// How many downloads the proxy has started.
    pub fn downloads(&self) -> usize {
        self.downloads.get()
    }
}

// ANCHOR: serve_one
/// One client: get the poem, send it, close; or close without it.
async fn serve_one(proxy: Rc<TokioProxy>, mut socket: TcpStream, peer: SocketAddr) {
    // A client that leaves while it waits releases what was held for it.
    let outcome = tokio::select! {
        outcome = proxy.get_poem() => outcome,
        () = gone(&mut socket) => {
            return proxy.log.out(&format!("{peer} hung up before its poem arrived."));
        }
    };
    answer(&mut socket, outcome, peer, &proxy.log).await;
}

/// Sends the poem to `peer` and closes, or closes without it and logs why.
pub async fn answer(socket: &mut TcpStream, outcome: Outcome, peer: SocketAddr, log: &Printer) {
    match outcome {
        Ok(poem) => {
            let sent = async {
                socket.write_all(&poem).await?;
                socket.shutdown().await
            };
            match sent.await {
                Ok(()) => log.out(&format!("Sending {} bytes to {peer}.", poem.len())),
                Err(error) => log.err(&format!("{peer} hung up: {error}")),
            }
        }
        Err(error) => log.err(&format!("Closing the connection to {peer}: {error}")),
    }
}
// ANCHOR_END: serve_one

/// Waits until the client hangs up (what it sends is not wanted).
async fn gone(socket: &mut TcpStream) {
    let mut sink = [0; 512];
    while let Ok(1..) = socket.read(&mut sink).await {}
}

/// Serves every client of `listener` from `proxy`, on a current-thread
/// runtime, until the process ends. Returns only if the runtime cannot be
/// started.
pub fn serve(listener: std::net::TcpListener, proxy: Rc<TokioProxy>) -> io::Result<()> {
    serve_until(listener, proxy, std::future::pending())
}

/// The same, until `until` completes (how the guided demo stops it).
pub fn serve_until(
    listener: std::net::TcpListener,
    proxy: Rc<TokioProxy>,
    until: impl Future<Output = ()>,
) -> io::Result<()> {
    serve_clients(
        listener,
        move |socket, peer| serve_one(Rc::clone(&proxy), socket, peer),
        until,
    )
}

/// Accepts clients of `listener` on a current-thread runtime, and runs
/// `serve` for each as a task of its own, until `until` completes. Returns
/// early only if the runtime cannot be started.
pub fn serve_clients<F, S>(
    listener: std::net::TcpListener,
    serve: S,
    until: impl Future<Output = ()>,
) -> io::Result<()>
where
    S: Fn(TcpStream, SocketAddr) -> F,
    F: Future<Output = ()> + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    listener.set_nonblocking(true)?;
    let tasks = LocalSet::new();
    tasks.block_on(&runtime, async move {
        let listener = TcpListener::from_std(listener)?;
        let accept_loop = async {
            loop {
                match listener.accept().await {
                    Ok((socket, peer)) => {
                        task::spawn_local(serve(socket, peer));
                    }
                    Err(error) => {
                        log::err(format_args!("cannot accept a connection: {error}"));
                        tokio::time::sleep(part_11::ACCEPT_PAUSE).await;
                    }
                }
            }
        };
        tokio::select! {
            () = accept_loop => {}
            () = until => {}
        }
        Ok(())
    })
}
