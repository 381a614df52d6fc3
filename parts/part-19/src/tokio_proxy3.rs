//! Proxy 3.0 on tokio: cancelling is dropping a future.
//!
//! Each client's task races two futures with `select!`: getting the poem,
//! and reading from the client until it hangs up. Whichever finishes first
//! wins; the other is dropped, and a dropped future does no more work. A
//! client that hangs up drops its end of the download's `watch` channel.
//! The download task races the download against the moment the last
//! receiver is gone (`Sender::closed`); when that comes first, the
//! download future is dropped, and with it its socket to the upstream
//! server.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_01::timeline::format_secs;
use part_02::cli::Timeouts;
use part_05::tokio_client::download;
use part_06::Printer;
use part_14::{Poem, UpstreamError, tokio_proxy, whole_poem};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task;

/// What a download ends with.
type Outcome = Result<Poem, UpstreamError>;

/// The sending end of a download's outcome, shared by the download task
/// and (with single-flight) the state, which subscribes new clients to it.
type Done = Rc<watch::Sender<Option<Outcome>>>;

/// Where the proxy stands.
enum State {
    Empty,
    Fetching(Done),
    Cached { poem: Poem, since: Instant },
}

/// What a client finds when it asks for the poem.
enum Found {
    Ready(Poem),
    Wait(watch::Receiver<Option<Outcome>>),
}

/// Proxy 3.0's service on tokio.
pub struct TokioProxy3 {
    upstream: String,
    addr: SocketAddr,
    state: RefCell<State>,
    max_age: Option<Duration>,
    single_flight: bool,
    /// How long to wait for a silent upstream.
    timeouts: Timeouts,
    downloads: Cell<usize>,
    log: Printer,
}

impl TokioProxy3 {
    /// A proxy for the upstream server at `addr` (named `upstream` in log
    /// lines), with proxy 2.0's options.
    pub fn new(
        upstream: impl Into<String>,
        addr: SocketAddr,
        max_age: Option<Duration>,
        single_flight: bool,
        timeouts: Timeouts,
        log: Printer,
    ) -> Rc<TokioProxy3> {
        Rc::new(TokioProxy3 {
            upstream: upstream.into(),
            addr,
            state: RefCell::new(State::Empty),
            max_age,
            single_flight,
            timeouts,
            downloads: Cell::new(0),
            log,
        })
    }

    /// The poem: from the cache, from the download under way, or from a
    /// new one. Dropping this future before it is done unsubscribes the
    /// client from the download.
    pub async fn get_poem(self: &Rc<Self>) -> Outcome {
        let mut waiting = match self.look_up() {
            Found::Ready(poem) => return Ok(poem),
            Found::Wait(receiver) => receiver,
        };
        let outcome = match waiting.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone(),
            Err(_) => None,
        };
        outcome.unwrap_or_else(|| {
            Err(UpstreamError {
                upstream: self.upstream.clone(),
                reason: "the download was abandoned".into(),
            })
        })
    }

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
            State::Fetching(done) if self.single_flight => {
                self.log.out("Waiting for the download under way.");
                return Found::Wait(done.subscribe());
            }
            _ => self.log.out("Fetching poem from server."),
        }
        let (sender, receiver) = watch::channel(None);
        let done = Rc::new(sender);
        if self.single_flight {
            *state = State::Fetching(Rc::clone(&done));
        }
        drop(state);
        task::spawn_local(Rc::clone(self).download(done));
        Found::Wait(receiver)
    }

    // ANCHOR: download
    /// One download, unless every client waiting for it has gone first.
    async fn download(self: Rc<Self>, done: Done) {
        self.downloads.set(self.downloads.get() + 1);
        let outcome = tokio::select! {
            result = download(self.addr, self.timeouts, |_| {}) => result,
            () = done.closed() => {
                // Nobody is subscribed: the download future is dropped
                // when this branch is taken, and its socket is closed.
                self.log.out("Canceling poem download.");
                self.forget(&done);
                return;
            }
        };
        let outcome = whole_poem(outcome.map_err(|error| error.to_string())).map_err(|reason| {
            UpstreamError {
                upstream: self.upstream.clone(),
                reason,
            }
        });
        match &outcome {
            Ok(poem) => {
                *self.state.borrow_mut() = State::Cached {
                    poem: Rc::clone(poem),
                    since: Instant::now(),
                }
            }
            Err(error) => {
                self.log.err(&format!("The download failed: {error}"));
                self.forget(&done);
            }
        }
        done.send_replace(Some(outcome));
    }
    // ANCHOR_END: download

    /// Leaves the `Fetching` state if it is this download's.
    fn forget(&self, done: &Done) {
        let mut state = self.state.borrow_mut();
        if matches!(&*state, State::Fetching(d) if Rc::ptr_eq(d, done)) {
            *state = State::Empty;
        }
    }

    /// How many downloads the proxy has started.
    pub fn downloads(&self) -> usize {
        self.downloads.get()
    }
}

/// Reads from the client until it hangs up (end of file or an error);
/// what it sends is dropped. Cancellation-safe: dropped between reads, it
/// loses nothing that matters.
async fn hung_up(socket: &mut TcpStream) {
    let mut ignored = [0; 256];
    while let Ok(n) = socket.read(&mut ignored).await {
        if n == 0 {
            break;
        }
    }
}

// ANCHOR: serve_one
/// One client: the poem, or the hang-up, whichever comes first.
async fn serve_one(proxy: Rc<TokioProxy3>, mut socket: TcpStream, peer: SocketAddr) {
    let outcome = tokio::select! {
        outcome = proxy.get_poem() => outcome,
        () = hung_up(&mut socket) => {
            proxy.log.out(&format!("{peer} hung up before its poem arrived."));
            return;
        }
    };
    tokio_proxy::answer(&mut socket, outcome, peer, &proxy.log).await;
}
// ANCHOR_END: serve_one

/// Serves every client of `listener` from `proxy` until `until`
/// completes (part 14's accept loop). Returns early only if the runtime
/// cannot be started.
pub fn serve_until(
    listener: std::net::TcpListener,
    proxy: Rc<TokioProxy3>,
    until: impl Future<Output = ()>,
) -> io::Result<()> {
    tokio_proxy::serve_clients(
        listener,
        move |socket, peer| serve_one(Rc::clone(&proxy), socket, peer),
        until,
    )
}
