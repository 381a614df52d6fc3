//! Listening: a socket that waits for connections, as one more reader of
//! the reactor.
//!
//! A listening socket becomes *readable* when a client has connected and
//! the kernel is holding the new connection for us. So accepting needs
//! nothing new from the reactor: [`listen_tcp`] makes the socket
//! non-blocking and registers it as a part-3 reader, and that reader's
//! `do_read` accepts every connection that is waiting. Each accepted socket
//! goes to part 5's [`Connection::open`] with a fresh protocol from the
//! [`ServerFactory`], and from then on it is an ordinary connection, the
//! same as one a client made.
//!
//! Two things can go wrong while accepting, and neither may bring the
//! server down:
//!
//! - the client gave up before we got to it (`ECONNABORTED`): nothing to
//!   do, take the next one;
//! - the process is out of something (`EMFILE`: no more file descriptors,
//!   `ENFILE`, `ENOBUFS`, `ENOMEM`): the connection stays in the kernel's
//!   queue, and the listening socket stays readable. A level-triggered
//!   backend would call us again at once, and again, a busy loop that
//!   helps nobody. So the port stops watching its socket for
//!   [`ACCEPT_PAUSE`] and tries again afterwards, by which time some
//!   connections may have ended and given their descriptors back.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::rc::Rc;
use std::time::Duration;

use part_01::timeline::format_secs;
use part_02::log;
use part_03::{DelayedCall, Disconnect, FileDescriptor, Reactor, ReadDescriptor, WeakReactor};
use part_05::{Connection, Protocol};

/// The most connections a listening port accepts in one turn of the
/// reactor, so that a crowd arriving at once cannot keep the connections
/// already open waiting. (Twisted's ports also accept in batches, with a
/// limit that adapts: 100 at first, 20 more after a turn that reaches it,
/// and no more than the last turn took once the queue runs dry.)
pub const ACCEPTS_PER_TURN: usize = 64;

/// How long a listening port stops accepting after accepting failed (for
/// example because the process has no file descriptors left).
pub const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

// ANCHOR: factory
/// What a server program knows about its connections: how to make a
/// protocol for each one a client opens.
///
/// Shaped like part 5's `ClientFactory`: one factory is shared (an `Rc`)
/// by every connection of a listening port, so it keeps what the
/// connections share (the poem, a count of clients) in `Cell`s and
/// `RefCell`s, and a protocol may keep a handle on it.
pub trait ServerFactory {
    /// A client at `peer` connected: build the protocol for this one
    /// connection. It is told `connection_made` at once.
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol>;

    /// Accepting a connection failed. `paused` says for how long the port
    /// stopped accepting because of it (`None`: it goes on at once). The
    /// server keeps running either way; by default, a line on standard
    /// error says what happened.
    fn accept_failed(&self, error: &io::Error, paused: Option<Duration>) {
        match paused {
            Some(pause) => log::err(format_args!(
                "cannot accept a connection: {error}; accepting again in {}",
                format_secs(pause)
            )),
            None => log::err(format_args!("cannot accept a connection: {error}")),
        }
    }
}
// ANCHOR_END: factory

/// A listening port's state, shared by its handles, its reader and its
/// timer.
struct Port {
    /// Weak: the reactor keeps the port (as a reader), not the other way
    /// round, so that dropping the reactor closes the listening socket.
    reactor: WeakReactor,
    fd: RawFd,
    addr: SocketAddr,
    /// `None` once the port has stopped listening. A `mio` listener
    /// rather than `std`'s only for its `accept`, which hands out sockets
    /// that are non-blocking already (`accept4` with `SOCK_NONBLOCK`).
    listener: RefCell<Option<mio::net::TcpListener>>,
    factory: Rc<dyn ServerFactory>,
    /// While accepting is paused: the call that resumes it.
    resume: RefCell<Option<DelayedCall>>,
    accepted: Cell<u64>,
    /// Whether `accept_some` is to come back on the next turn.
    more: Cell<bool>,
}

/// A handle on a listening socket: where it listens, how many connections
/// it took, and the means to stop. Cheap to clone.
///
/// Dropping the handle does not stop the port, as in Twisted: the reactor
/// keeps listening until [`stop_listening`](ListeningPort::stop_listening).
#[derive(Clone)]
pub struct ListeningPort(Rc<Port>);

impl fmt::Debug for ListeningPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListeningPort")
            .field("addr", &self.0.addr)
            .field("listening", &self.is_listening())
            .field("accepted", &self.0.accepted.get())
            .finish()
    }
}

// ANCHOR: listen_tcp
/// Listens on `iface` (a host name or an address) and `port` (0: any free
/// port; ask [`ListeningPort::local_addr`] which), and serves every client
/// that connects with a protocol from `factory`, while the reactor runs.
///
/// Binding is part 2's [`listen`](part_02::server::listen), so a port in
/// use is the same clear error as for every server of the workspace:
/// `cannot listen on 127.0.0.1:10000: Address already in use (os error 98)`.
pub fn listen_tcp(
    reactor: &Reactor,
    iface: &str,
    port: u16,
    factory: Rc<dyn ServerFactory>,
) -> io::Result<ListeningPort> {
    let listener = part_02::server::listen(iface, port)
        .map_err(|error| io::Error::new(error.source.kind(), error))?;
    listen_on(reactor, listener, factory)
}

/// Serves the connections of a socket that is already listening.
pub fn listen_on(
    reactor: &Reactor,
    listener: TcpListener,
    factory: Rc<dyn ServerFactory>,
) -> io::Result<ListeningPort> {
    // Accepting must never wait: `accept` on an empty queue should say
    // `WouldBlock`, not sleep until the next client.
    listener.set_nonblocking(true)?;
    let port = Rc::new(Port {
        reactor: reactor.downgrade(),
        fd: listener.as_raw_fd(),
        addr: listener.local_addr()?,
        listener: RefCell::new(Some(mio::net::TcpListener::from_std(listener))),
        factory,
        resume: RefCell::new(None),
        accepted: Cell::new(0),
        more: Cell::new(false),
    });
    port.watch(reactor)?;
    Ok(ListeningPort(port))
}
// ANCHOR_END: listen_tcp

impl ListeningPort {
    /// Applies a `--write-timeout` (part 2's
    /// [`WriteTimeout`](part_02::cli::WriteTimeout)) to every connection
    /// accepted from now on.
    pub fn set_write_timeout(&self, write: &part_02::cli::WriteTimeout) -> io::Result<()> {
        match &*self.0.listener.borrow() {
            Some(listener) => socket2::SockRef::from(listener).set_tcp_user_timeout(write.limit()),
            None => Ok(()),
        }
    }

    /// The address the port listens on (with the port the system chose,
    /// if it was asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.0.addr
    }

    /// How many connections the port has accepted so far.
    pub fn accepted(&self) -> u64 {
        self.0.accepted.get()
    }

    /// Whether the port is still listening (a pause after an accept error
    /// counts as listening).
    pub fn is_listening(&self) -> bool {
        self.0.listener.borrow().is_some()
    }

    /// Whether accepting is paused after an error.
    pub fn is_paused(&self) -> bool {
        self.0
            .resume
            .borrow()
            .as_ref()
            .is_some_and(DelayedCall::active)
    }

    // ANCHOR: stop_listening
    /// Stops accepting and closes the listening socket: new clients are
    /// refused from now on. Connections already accepted go on until they
    /// end. Doing it twice does nothing.
    pub fn stop_listening(&self) {
        let Some(listener) = self.0.listener.borrow_mut().take() else {
            return;
        };
        if let Some(reactor) = self.0.reactor.upgrade() {
            let _ = reactor.remove_reader(self.0.fd);
        }
        if let Some(resume) = self.0.resume.borrow_mut().take()
            && resume.active()
        {
            let _ = resume.cancel();
        }
        // Stop watching before closing, so the number is free in the
        // reactor by the time the kernel hands it out again.
        drop(listener);
    }
    // ANCHOR_END: stop_listening
}

impl Port {
    /// Asks the reactor to call an acceptor when the socket is readable.
    fn watch(self: &Rc<Self>, reactor: &Reactor) -> io::Result<()> {
        let acceptor = Acceptor(Rc::clone(self));
        reactor.add_reader(Rc::new(RefCell::new(acceptor)))
    }

    // ANCHOR: open
    /// A client connected: give its socket a protocol of its own and a
    /// connection for the reactor to watch.
    fn open(self: &Rc<Self>, reactor: &Reactor, socket: TcpStream, peer: SocketAddr) {
        self.accepted.set(self.accepted.get() + 1);
        // Our servers send poems in small pieces on purpose: send each one
        // now rather than wait to merge it with the next.
        let _ = socket.set_nodelay(true);
        let protocol = Rc::clone(&self.factory).build_protocol(peer);
        // Accepted non-blocking, from a known peer: no need to ask again.
        if let Err(error) = Connection::open_with(reactor, socket, peer, protocol, None) {
            // Probably gone already (reset before we got to it).
            self.factory.accept_failed(&error, None);
        }
    }
    // ANCHOR_END: open

    // ANCHOR: pause
    /// Accepting failed for want of resources: stop watching the socket
    /// for a while instead of being called again at once, in a loop.
    fn pause(self: &Rc<Self>, reactor: &Reactor, error: &io::Error) {
        let _ = reactor.remove_reader(self.fd);
        self.factory.accept_failed(error, Some(ACCEPT_PAUSE));
        let (port, again) = (Rc::clone(self), reactor.downgrade());
        let resume = reactor.call_later(ACCEPT_PAUSE, move || {
            port.resume.borrow_mut().take();
            if let Some(reactor) = again.upgrade()
                && port.listener.borrow().is_some()
                && let Err(error) = port.watch(&reactor)
            {
                port.factory.accept_failed(&error, None);
            }
        });
        *self.resume.borrow_mut() = Some(resume);
    }
    // ANCHOR_END: pause
}

/// What the reactor watches for a listening port: a reader whose
/// `do_read` accepts.
struct Acceptor(Rc<Port>);

impl FileDescriptor for Acceptor {
    fn fileno(&self) -> RawFd {
        self.0.fd
    }

    fn connection_lost(&mut self, _reactor: &Reactor, reason: Disconnect) {
        // Only a failing `do_read` gets here (it never returns `Err`
        // itself): say so, and stop listening rather than half-listen.
        let error = match reason {
            Disconnect::Lost(error) => error,
            Disconnect::Done => io::Error::other("the listening socket closed"),
        };
        self.0.factory.accept_failed(&error, None);
        ListeningPort(Rc::clone(&self.0)).stop_listening();
    }

    fn log_prefix(&self) -> String {
        format!("listening port {}", self.0.addr)
    }
}

// ANCHOR: do_read
impl ReadDescriptor for Acceptor {
    /// Readable: clients are waiting.
    fn do_read(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        self.0.accept_some(reactor);
        Ok(())
    }
}

impl Port {
    /// Takes the clients that are waiting, [`ACCEPTS_PER_TURN`] at most. If
    /// there may be more, it comes back for them on the reactor's next turn
    /// rather than waiting to be told: the backend may not say again for
    /// clients that were already there.
    fn accept_some(self: &Rc<Self>, reactor: &Reactor) {
        if self
            .resume
            .borrow()
            .as_ref()
            .is_some_and(DelayedCall::active)
        {
            return; // paused after an error: the resume call comes back
        }
        for _ in 0..ACCEPTS_PER_TURN {
            let accepted = match self.listener.borrow().as_ref() {
                Some(listener) => listener.accept(),
                None => return, // stopped by a protocol meanwhile
            };
            match accepted {
                Ok((socket, peer)) => self.open(reactor, TcpStream::from(socket), peer),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                // Interrupted by a signal, or the client gave up while it
                // waited in the queue: on to the next one.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => continue,
                // Out of descriptors or memory, or anything else: the
                // server goes on, after a pause.
                Err(e) => {
                    self.pause(reactor, &e);
                    return;
                }
            }
        }
        if !self.more.replace(true) {
            let (port, again) = (Rc::clone(self), reactor.downgrade());
            reactor.call_later(Duration::ZERO, move || {
                port.more.set(false);
                if let Some(reactor) = again.upgrade() {
                    port.accept_some(&reactor);
                }
            });
        }
    }
}
// ANCHOR_END: do_read
