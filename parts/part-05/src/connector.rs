//! Connecting: [`connect_tcp`] starts a connection without waiting for it,
//! and the reactor says later how it went.
//!
//! A non-blocking `connect` returns before the other side has answered. The
//! socket becomes *writable* when the attempt is over, either way; then
//! the socket's pending error (`SO_ERROR`, read with `take_error`) says
//! whether it failed, and `peer_addr` whether it is really connected. So a
//! connection attempt is itself a little [`WriteDescriptor`]: the reactor
//! calls it once the socket is writable, and it either hands the socket on
//! to a [`Connection`] with a fresh protocol, or tells the factory that the
//! connection failed. A refused connection is reported the same way, from
//! the reactor, never as an early return of `connect_tcp`.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use std::time::Duration;

use part_02::cli::Timeouts;
use part_03::{DelayedCall, Disconnect, FileDescriptor, Reactor, WriteDescriptor};

use crate::protocol::ClientFactory;
use crate::transport::{Connection, Transport};

/// How long a connection attempt may take before it counts as failed
/// (Twisted's default, too), unless told otherwise.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a connection made by [`connect_tcp`] may stay silent before it
/// is closed (part 2's default `--idle-timeout`), unless told otherwise.
pub const IDLE_TIMEOUT: Option<Duration> = Some(Duration::from_secs(60));

// ANCHOR: connect_tcp
/// Starts connecting to `addr`, and returns at once. When the connection is
/// made, `factory` builds a protocol for it; if it cannot be made (refused,
/// unreachable, no answer within [`CONNECT_TIMEOUT`]), the factory's
/// `client_connection_failed` is called instead. Either way, it happens
/// while the reactor runs.
///
/// Use a reactor on a real clock: on a virtual clock, time jumps to the
/// time limit as soon as the reactor has nothing else to do, which for a
/// connection still in its handshake is at once.
pub fn connect_tcp(
    reactor: &Reactor,
    addr: SocketAddr,
    factory: Rc<dyn ClientFactory>,
) -> Connector {
    connect_tcp_timeout(reactor, addr, factory, CONNECT_TIMEOUT)
}

/// [`connect_tcp`] with the limits of a client's command line: the connect
/// timeout for the attempt, and the idle timeout for the connection (see
/// [`Transport::set_idle_timeout`]).
pub fn connect_tcp_with(
    reactor: &Reactor,
    addr: SocketAddr,
    factory: Rc<dyn ClientFactory>,
    timeouts: Timeouts,
) -> Connector {
    start(
        reactor,
        addr,
        factory,
        timeouts.connect_timeout,
        timeouts.idle(),
    )
}

/// [`connect_tcp`] with a time limit of your choosing for the attempt.
pub fn connect_tcp_timeout(
    reactor: &Reactor,
    addr: SocketAddr,
    factory: Rc<dyn ClientFactory>,
    timeout: Duration,
) -> Connector {
    start(reactor, addr, factory, timeout, IDLE_TIMEOUT)
}

fn start(
    reactor: &Reactor,
    addr: SocketAddr,
    factory: Rc<dyn ClientFactory>,
    timeout: Duration,
    idle: Option<Duration>,
) -> Connector {
    let connector = Connector(Rc::new(Inner {
        reactor: reactor.clone(),
        addr,
        factory,
        timeout,
        idle,
        state: RefCell::new(State::Idle),
        attempts: Cell::new(0),
    }));
    connector.connect();
    connector
}
// ANCHOR_END: connect_tcp

/// Where a connector stands.
enum State {
    /// Not connecting, not connected (before, between or after attempts).
    Idle,
    /// An attempt is under way on descriptor `fd`.
    Connecting {
        attempt: u64,
        fd: RawFd,
        timer: DelayedCall,
    },
    /// Connected; the connection is handled by a protocol.
    Connected(Transport),
}

struct Inner {
    reactor: Reactor,
    addr: SocketAddr,
    factory: Rc<dyn ClientFactory>,
    timeout: Duration,
    /// The idle limit of the connection, once made.
    idle: Option<Duration>,
    state: RefCell<State>,
    attempts: Cell<u64>,
}

/// A handle on one client connection, made or being made: its address, and
/// the means to try again or to give up. Cheap to clone.
#[derive(Clone)]
pub struct Connector(Rc<Inner>);

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &*self.0.state.borrow() {
            State::Idle => "idle",
            State::Connecting { .. } => "connecting",
            State::Connected(_) => "connected",
        };
        f.debug_struct("Connector")
            .field("addr", &self.0.addr)
            .field("state", &state)
            .finish()
    }
}

impl Connector {
    /// Where this connector connects to.
    pub fn addr(&self) -> SocketAddr {
        self.0.addr
    }

    /// How many attempts have been started, counting the first.
    pub fn attempts(&self) -> u64 {
        self.0.attempts.get()
    }

    /// The transport of the connection, while it is connected.
    pub fn transport(&self) -> Option<Transport> {
        match &*self.0.state.borrow() {
            State::Connected(transport) => Some(transport.clone()),
            _ => None,
        }
    }

    /// Whether an attempt is under way.
    pub fn is_connecting(&self) -> bool {
        matches!(*self.0.state.borrow(), State::Connecting { .. })
    }

    // ANCHOR: connect
    /// Starts an attempt (again), unless one is under way or the connector
    /// is connected. A factory calls this from `client_connection_failed`
    /// to retry.
    pub fn connect(&self) {
        if !matches!(*self.0.state.borrow(), State::Idle) {
            return;
        }
        let attempt = self.0.attempts.get() + 1;
        self.0.attempts.set(attempt);
        // Start the TCP handshake; this returns before the handshake is over.
        let started = mio::net::TcpStream::connect(self.0.addr).and_then(|socket| {
            let fd = socket.as_raw_fd();
            let pending = Pending {
                connector: self.clone(),
                socket: Some(socket),
            };
            match self.0.reactor.add_writer(Rc::new(RefCell::new(pending))) {
                Ok(()) => Ok(fd),
                Err(error) => {
                    let _ = self.0.reactor.remove_writer(fd);
                    Err(error)
                }
            }
        });
        // Whatever happens, the outcome comes from the reactor: when the
        // socket is writable, after the time limit, or (if the attempt
        // failed before it began) on the reactor's next turn.
        let (fd, delay, reason) = match started {
            Ok(fd) => (fd, self.0.timeout, io::ErrorKind::TimedOut.into()),
            Err(error) => (-1, Duration::ZERO, error),
        };
        let connector = self.clone();
        let timer = self
            .0
            .reactor
            .call_later(delay, move || connector.give_up(attempt, reason));
        *self.0.state.borrow_mut() = State::Connecting { attempt, fd, timer };
        self.0.factory.started_connecting(self);
    }
    // ANCHOR_END: connect

    /// Gives up: stops an attempt under way (the factory hears that the
    /// connection failed), or closes the connection once its output is
    /// sent (the factory hears that it was lost).
    pub fn disconnect(&self) {
        let attempt = match &*self.0.state.borrow() {
            State::Connecting { attempt, .. } => *attempt,
            State::Connected(transport) => {
                transport.lose_connection();
                return;
            }
            State::Idle => return,
        };
        self.give_up(
            attempt,
            io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "connection attempt aborted",
            ),
        );
    }

    /// Ends attempt `attempt`, if it is still the one under way, and tells
    /// the factory why.
    fn give_up(&self, attempt: u64, reason: io::Error) {
        let fd = match &*self.0.state.borrow() {
            State::Connecting { attempt: a, fd, .. } if *a == attempt => *fd,
            _ => return,
        };
        self.end_attempt();
        if fd >= 0 {
            // Dropping the pending attempt closes its socket.
            let _ = self.0.reactor.remove_writer(fd);
        }
        self.0.factory.client_connection_failed(self, reason);
    }

    /// Back to idle, with the attempt's timer cancelled.
    fn end_attempt(&self) {
        let old = std::mem::replace(&mut *self.0.state.borrow_mut(), State::Idle);
        if let State::Connecting { timer, .. } = old
            && timer.active()
        {
            let _ = timer.cancel();
        }
    }

    // ANCHOR: connected
    /// The attempt worked: hand the socket to a connection with a new
    /// protocol, and arrange to hear when that connection ends.
    fn connected(&self, socket: mio::net::TcpStream, peer: SocketAddr) -> io::Result<()> {
        self.end_attempt();
        let protocol = Rc::clone(&self.0.factory).build_protocol(peer);
        let connector = self.clone();
        let when_lost = Box::new(move |reason: Disconnect| {
            *connector.0.state.borrow_mut() = State::Idle;
            connector
                .0
                .factory
                .client_connection_lost(&connector, reason);
        });
        let socket = std::net::TcpStream::from(OwnedFd::from(socket));
        let transport =
            Connection::open_with(&self.0.reactor, socket, peer, protocol, Some(when_lost))?;
        transport.set_idle_timeout(self.0.idle);
        // Unless the protocol already hung up inside `connection_made`.
        if transport.is_connected() {
            *self.0.state.borrow_mut() = State::Connected(transport);
        }
        Ok(())
    }
    // ANCHOR_END: connected
}

/// A connection attempt under way, as the reactor sees it: a writer that
/// is called once, when the attempt is over.
struct Pending {
    connector: Connector,
    socket: Option<mio::net::TcpStream>,
}

impl FileDescriptor for Pending {
    fn fileno(&self) -> RawFd {
        self.socket.as_ref().map_or(-1, |s| s.as_raw_fd())
    }

    /// The attempt failed: the reactor has stopped watching the socket.
    fn connection_lost(&mut self, _reactor: &Reactor, reason: Disconnect) {
        drop(self.socket.take());
        if !self.connector.is_connecting() {
            return;
        }
        self.connector.end_attempt();
        let error = match reason {
            Disconnect::Lost(error) => error,
            Disconnect::Done => io::ErrorKind::ConnectionAborted.into(),
        };
        let factory = Rc::clone(&self.connector.0.factory);
        factory.client_connection_failed(&self.connector, error);
    }

    fn log_prefix(&self) -> String {
        format!("connection attempt to {}", self.connector.0.addr)
    }
}

// ANCHOR: pending
impl WriteDescriptor for Pending {
    /// Writable: the handshake is over, one way or the other.
    fn do_write(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        let Some(socket) = &self.socket else {
            return Ok(());
        };
        // A stored error means the attempt failed (refused, unreachable…).
        if let Some(error) = socket.take_error().map_err(Disconnect::Lost)? {
            return Err(Disconnect::Lost(error));
        }
        let peer = match socket.peer_addr() {
            Ok(peer) => peer,
            // Not connected yet after all: wait for the next event.
            Err(e) if e.kind() == io::ErrorKind::NotConnected => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => return Ok(()),
            Err(e) => return Err(Disconnect::Lost(e)),
        };
        // Connected. The socket now belongs to a `Connection`, which
        // watches it for reading; this attempt is finished.
        let fd = socket.as_raw_fd();
        let socket = self.socket.take().expect("checked above");
        let _ = reactor.remove_writer(fd);
        let connector = self.connector.clone();
        if let Err(error) = connector.connected(socket, peer) {
            let factory = Rc::clone(&connector.0.factory);
            factory.client_connection_failed(&connector, error);
        }
        Ok(())
    }
}
// ANCHOR_END: pending
