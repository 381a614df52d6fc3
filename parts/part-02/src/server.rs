//! The slow poetry server: blocking, one client at a time, a few bytes at a
//! time.
//!
//! It is deliberately simple and deliberately slow. It accepts one connection,
//! sends the poem `num_bytes` at a time with a `delay` between chunks, closes
//! the connection, and only then accepts the next one. A client that connects
//! while another is being served waits in the listen queue. That is exactly
//! what makes it a good stand-in for a slow network: each download takes a
//! while, and a client that waits on one server at a time pays for every one.

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::{ServerThread, log};

/// How the server paces a poem.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServerOptions {
    /// Bytes per chunk (the series' `--num-bytes`, default 10).
    pub num_bytes: usize,
    /// Pause between chunks (the series' `--delay`, default 0.7 s).
    pub delay: Duration,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            num_bytes: 10,
            delay: Duration::from_millis(700),
        }
    }
}

/// What the server did, reported as it happens. The `slowpoetry` program
/// prints these; servers started inside a demo or a test stay quiet.
#[derive(Debug)]
pub enum ServerEvent<'a> {
    /// A client connected.
    Accepted(SocketAddr),
    /// A chunk of the poem went to a client.
    Sent {
        /// The client.
        to: SocketAddr,
        /// The chunk's size.
        bytes: usize,
    },
    /// The whole poem was sent and the connection closed.
    Finished {
        /// The client.
        to: SocketAddr,
        /// Bytes sent.
        bytes: usize,
    },
    /// The client went away before the end of the poem.
    HungUp {
        /// The client.
        to: SocketAddr,
        /// Bytes sent before it went.
        bytes: usize,
        /// What the socket said.
        error: &'a io::Error,
    },
    /// Accepting a connection failed (for example, out of file descriptors).
    AcceptFailed(&'a io::Error),
}

/// Why the server could not start listening.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {iface}:{port}: {source}")]
pub struct ListenError {
    /// The interface asked for.
    pub iface: String,
    /// The port asked for (0: any free port).
    pub port: u16,
    /// What the operating system said.
    pub source: io::Error,
}

/// How many connections the kernel may hold for a listening socket before
/// the server accepts them (the `backlog` of `listen(2)`).
///
/// std's `TcpListener::bind` asks for 128. A burst of clients larger than
/// that overflows the queue, and on Linux an overflowing handshake is not
/// refused: its last packet is dropped, and the client may be left with a
/// connection the server never heard of, waiting for ever. tokio asks for
/// 1,024; we ask for 4,096, Linux's default ceiling (`net.core.somaxconn`;
/// the kernel quietly lowers a larger request to it).
pub const BACKLOG: i32 = 4096;

/// How long a connection's sending may make no progress (the client reads
/// nothing) before the connection is given up, unless told otherwise
/// (`--write-timeout`).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Binds a listening socket to `addr` with a [`BACKLOG`] of 4,096, with
/// `SO_REUSEADDR` (as std's `TcpListener::bind` sets it), and with the
/// default [`WRITE_TIMEOUT`]. Every server of the workspace listens through
/// this (or [`listen`], which calls it).
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    let listener = TcpListener::from(socket);
    set_write_timeout(&listener, Some(WRITE_TIMEOUT))?;
    Ok(listener)
}

/// Gives up on a connection accepted from `listener` once data it sends
/// has gone unacknowledged for `limit` (`None`: no limit): a client that
/// stops reading while the server has more to send. The kernel does it
/// (`TCP_USER_TIMEOUT`, which accepted sockets inherit from the listening
/// one, and which counts a peer that keeps its receive window shut): the
/// connection is reset, and the server's next write or wait on it fails
/// with "timed out", whether it blocks (`slowpoetry`), waits for the
/// reactor, or awaits on tokio. Whatever the server kept for that client
/// is then let go with the connection.
pub fn set_write_timeout(listener: &TcpListener, limit: Option<Duration>) -> io::Result<()> {
    socket2::SockRef::from(listener).set_tcp_user_timeout(limit)
}

/// Opens a listening socket on `iface` (a host name or IP address) and `port`
/// (0 picks a free port), with a [`BACKLOG`] of 4,096. Prefers an IPv4
/// address when the name has several, since clients default to `127.0.0.1`.
pub fn listen(iface: &str, port: u16) -> Result<TcpListener, ListenError> {
    let error = |source| ListenError {
        iface: iface.to_string(),
        port,
        source,
    };
    let candidates: Vec<SocketAddr> = (iface, port).to_socket_addrs().map_err(error)?.collect();
    let addr = candidates
        .iter()
        .find(|a| a.is_ipv4())
        .or(candidates.first())
        .copied()
        .ok_or_else(|| error(io::Error::new(io::ErrorKind::NotFound, "no such interface")))?;
    bind(addr).map_err(error)
}

/// A signal that tells a running server to stop. The server's pauses between
/// chunks wait on it, so stopping does not wait out a long delay; and it can
/// carry actions to run when it is given, which is how a server blocked
/// somewhere else (in `accept`, or in a reactor's wait) is woken to see it.
#[derive(Clone, Default)]
pub struct Shutdown(Arc<(Mutex<Signal>, Condvar)>);

/// Whether the signal was given, and what to do when it is.
#[derive(Default)]
struct Signal {
    given: bool,
    actions: Vec<Box<dyn FnOnce() + Send>>,
}

impl std::fmt::Debug for Shutdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let signal = self.lock();
        f.debug_struct("Shutdown")
            .field("given", &signal.given)
            .field("actions", &signal.actions.len())
            .finish()
    }
}

impl Shutdown {
    /// A signal not yet given.
    pub fn new() -> Shutdown {
        Shutdown::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Signal> {
        self.0
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Gives the signal: every wait returns at once, now and later, and the
    /// actions registered with [`on_trigger`](Shutdown::on_trigger) run,
    /// on this thread.
    pub fn trigger(&self) {
        let actions = {
            let mut signal = self.lock();
            signal.given = true;
            std::mem::take(&mut signal.actions)
        };
        self.0.1.notify_all();
        // Outside the lock: an action may be slow, or look at the signal.
        for action in actions {
            action();
        }
    }

    /// Runs `action` when the signal is given (at once if it has been).
    pub fn on_trigger(&self, action: impl FnOnce() + Send + 'static) {
        let mut signal = self.lock();
        if signal.given {
            drop(signal);
            action();
        } else {
            signal.actions.push(Box::new(action));
        }
    }

    /// When the signal is given, wakes a thread blocked in
    /// `listener.accept()` by connecting to it: a blocking accept loop
    /// cannot otherwise notice. The loop must check
    /// [`is_triggered`](Shutdown::is_triggered) after each accept, and drop
    /// that connection.
    pub fn wake_accept_of(&self, listener: &TcpListener) -> io::Result<()> {
        let addr = listener.local_addr()?;
        self.on_trigger(move || {
            let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        });
        Ok(())
    }

    /// Whether the signal has been given.
    pub fn is_triggered(&self) -> bool {
        self.lock().given
    }

    /// Sleeps for `delay`, or less if the signal comes. Returns whether it came.
    pub fn wait(&self, delay: Duration) -> bool {
        let (signal, wakeup) = &*self.0;
        let guard = signal
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (guard, _) = wakeup
            .wait_timeout_while(guard, delay, |signal| !signal.given)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.given
    }
}

// ANCHOR: serve
/// Serves `poem` to one client after another, until `shutdown` is triggered.
pub fn serve(
    listener: &TcpListener,
    poem: &[u8],
    options: ServerOptions,
    shutdown: &Shutdown,
    mut report: impl FnMut(ServerEvent<'_>),
) {
    while !shutdown.is_triggered() {
        // Blocks until a client connects. Nobody else is served meanwhile.
        let (socket, peer) = match listener.accept() {
            Ok(connection) => connection,
            Err(error) => {
                report(ServerEvent::AcceptFailed(&error));
                continue;
            }
        };
        if shutdown.is_triggered() {
            break;
        }
        report(ServerEvent::Accepted(peer));
        send_poem(socket, peer, poem, options, shutdown, &mut report);
    }
}

/// Sends one poem slowly, then closes the connection (by dropping it).
pub fn send_poem(
    mut socket: TcpStream,
    peer: SocketAddr,
    poem: &[u8],
    options: ServerOptions,
    shutdown: &Shutdown,
    report: &mut impl FnMut(ServerEvent<'_>),
) {
    // Small chunks should leave at once, not wait to be merged with the next.
    let _ = socket.set_nodelay(true);
    let mut sent = 0;
    for chunk in poem.chunks(options.num_bytes.max(1)) {
        if sent > 0 && shutdown.wait(options.delay) {
            return;
        }
        // Blocks until the chunk is handed to the kernel; fails if the
        // client has hung up.
        if let Err(error) = socket.write_all(chunk) {
            report(ServerEvent::HungUp {
                to: peer,
                bytes: sent,
                error: &error,
            });
            return;
        }
        sent += chunk.len();
        report(ServerEvent::Sent {
            to: peer,
            bytes: chunk.len(),
        });
    }
    report(ServerEvent::Finished {
        to: peer,
        bytes: sent,
    });
}
// ANCHOR_END: serve

/// A slow poetry server running on a thread of this process, on a free port
/// of `127.0.0.1`. For demos, tests and benchmarks: start as many as you need,
/// point clients at [`SlowServer::addr`], and drop them to stop them.
#[derive(Debug)]
pub struct SlowServer {
    thread: ServerThread,
    served: Arc<AtomicUsize>,
}

impl SlowServer {
    /// Starts serving `poem` with the given pacing.
    pub fn spawn(poem: impl Into<Arc<[u8]>>, options: ServerOptions) -> io::Result<SlowServer> {
        let poem: Arc<[u8]> = poem.into();
        let listener = bind((Ipv4Addr::LOCALHOST, 0).into())?;
        let served = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&served);
        let thread = ServerThread::spawn("slowpoetry", listener, move |listener, shutdown| {
            shutdown.wake_accept_of(&listener)?;
            Ok(move || {
                serve(&listener, &poem, options, &shutdown, |event| {
                    if let ServerEvent::Finished { .. } = event {
                        counted.fetch_add(1, Ordering::SeqCst);
                    }
                })
            })
        })?;
        Ok(SlowServer { thread, served })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.thread.addr()
    }

    /// How many clients received the whole poem so far.
    pub fn poems_served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

/// Logs what a server did, in the words of the series' `slowpoetry` (in
/// the server's [`log`](crate::log), which never blocks it).
pub fn print_event(event: ServerEvent<'_>) {
    match event {
        ServerEvent::Accepted(peer) => log::out(format_args!("Somebody at {peer} wants poetry!")),
        ServerEvent::Sent { bytes, .. } => log::out(format_args!("Sending {bytes} bytes")),
        ServerEvent::Finished { to, bytes } => {
            log::out(format_args!("Sent {bytes} bytes to {to}; closing."))
        }
        ServerEvent::HungUp { to, bytes, error } => log::out(format_args!(
            "{to} hung up after {bytes} bytes ({error}); waiting for the next client."
        )),
        ServerEvent::AcceptFailed(error) => {
            log::err(format_args!("error: cannot accept a connection: {error}"))
        }
    }
}
