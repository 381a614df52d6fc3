//! Transports: one TCP connection, as the reactor and a protocol see it.
//!
//! A [`Connection`] is what the reactor watches. It is part 3's
//! [`ReadDescriptor`] and [`WriteDescriptor`] in one: it owns the
//! non-blocking socket, the bytes waiting to be written, and the protocol.
//! When the socket is readable it reads until the socket would block and
//! hands every piece to [`Protocol::data_received`]; when it is writable it
//! writes what is waiting. Everything about sockets is here, and nothing
//! about what the bytes mean.
//!
//! A [`Transport`] is the protocol's side of the same connection: a cheap
//! handle with [`write`](Transport::write) and
//! [`lose_connection`](Transport::lose_connection), and nothing else a
//! protocol could misuse. It holds the connection weakly, so a protocol
//! that keeps its transport (as most do) makes no reference cycle with the
//! connection that owns it; once the connection is over, the handle's
//! methods do nothing.
//!
//! ## Writing without blocking
//!
//! [`Transport::write`] never waits. It tries to write at once; whatever the
//! socket does not take goes into the connection's write buffer, and the
//! connection asks the reactor to call it when the socket is writable, until
//! the buffer is empty. The buffer has no limit: it holds whatever the
//! protocol wrote and the peer has not yet accepted. A protocol that writes
//! much more than its peer reads should look at [`Transport::buffered`] and
//! hold back. (Twisted's answer is "producers"; a later part can add them.)
//!
//! `write` borrows its bytes only for the call, so what the socket does not
//! take must be copied. When many connections send the same bytes (a server
//! sending one poem to every client), [`Transport::write_shared`] keeps a
//! reference to them instead: a slow client then costs the server a pointer,
//! not a copy of the poem. (Twisted never has to choose: Python's `bytes`
//! cannot change, so its transports keep a reference to whatever they are
//! given.)
//!
//! ## Asking the reactor for no more than needed
//!
//! On the `epoll` backend, each change of what the reactor watches a socket
//! for is a system call (`epoll_ctl`). So a connection starts watching for
//! reading only after its protocol's `connection_made` has returned, and
//! only if the protocol has not already hung up; and when a protocol hangs
//! up with nothing left to send, the connection closes on the reactor's
//! next turn without watching for writability first. A server that writes
//! its answer and hangs up as soon as a client connects (part 11's fast
//! poetry server) never has its sockets watched at all.
//!
//! ## Borrowing while the reactor calls
//!
//! The reactor keeps a connection in a `RefCell` and borrows it for as long
//! as `do_read` runs, and `do_read` borrows the protocol for as long as
//! `data_received` runs. A protocol that writes from inside `data_received`
//! must therefore not need either borrow. So the pieces a transport touches
//! (the socket, the buffer, a few flags) live in their own cells, shared
//! between the connection and its transports, and the reactor is given a
//! fresh `RefCell` around the same shared state each time the connection
//! starts watching for writability.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::rc::{Rc, Weak};
use std::time::Duration;

use part_03::{
    DelayedCall, Disconnect, FileDescriptor, Reactor, ReadDescriptor, WeakReactor, WriteDescriptor,
};

use crate::protocol::{Protocol, copy_reason};

/// The most a connection reads in one go, and so the largest piece handed
/// to [`Protocol::data_received`] (Twisted reads 64 KiB at a time too).
pub const READ_SIZE: usize = 64 * 1024;

/// Called once when a connection is over, after its protocol was told.
pub type LostHook = Box<dyn FnOnce(Disconnect)>;

/// The state of one connection, shared by the connection (as the reactor
/// holds it) and by every transport handle on it.
struct Shared {
    fd: RawFd,
    /// Weak: the reactor keeps the connection, not the other way round.
    reactor: WeakReactor,
    peer: SocketAddr,
    /// `None` once the connection is closed.
    socket: RefCell<Option<TcpStream>>,
    /// Bytes written by the protocol that the socket has not taken yet.
    buffer: RefCell<Outgoing>,
    protocol: RefCell<Box<dyn Protocol>>,
    /// Whether the reactor is watching the socket for writability.
    writing: Cell<bool>,
    /// Whether `lose_connection` was called: close once the buffer is empty.
    disconnecting: Cell<bool>,
    /// Whether the connection is over (and the protocol was told).
    closed: Cell<bool>,
    /// A write that failed outside `do_write`, to be reported from there.
    failed: RefCell<Option<io::Error>>,
    when_lost: RefCell<Option<LostHook>>,
    /// The idle limit (`None`: none), and when data last came, on the
    /// reactor's clock.
    idle: Cell<Option<Duration>>,
    heard: Cell<Duration>,
    /// The timer that checks for silence, cancelled when the connection
    /// ends (a closed connection leaves nothing behind in the reactor).
    idle_timer: RefCell<Option<DelayedCall>>,
}

// ANCHOR: transport
/// A protocol's handle on its connection: write to it, close it, ask who is
/// on the other end. Cheap to clone; every clone is the same connection.
#[derive(Clone)]
pub struct Transport {
    wire: Weak<dyn Wire>,
    peer: SocketAddr,
}

impl Transport {
    /// Queues `data` to be sent, in order after everything written before.
    /// Never blocks: it writes what the socket takes now, and the reactor
    /// writes the rest when the socket is ready (from a copy: `data` is
    /// only borrowed). Does nothing once the connection is over or closing.
    pub fn write(&self, data: &[u8]) {
        if let Some(wire) = self.wire.upgrade() {
            wire.write(data);
        }
    }

    /// Like [`write`](Transport::write), for bytes that are shared: what
    /// the socket does not take now is kept as another reference to `data`,
    /// not copied. For the same bytes sent on many connections.
    pub fn write_shared(&self, data: &Rc<[u8]>) {
        if let Some(wire) = self.wire.upgrade() {
            wire.write_shared(data);
        }
    }

    /// Closes the connection once everything written so far has been sent.
    /// Reading stops now; the protocol's `connection_lost` is then called
    /// with `Disconnect::Done` (or `Lost`, if the sending failed).
    pub fn lose_connection(&self) {
        if let Some(wire) = self.wire.upgrade() {
            wire.lose_connection();
        }
    }

    /// The address of the other end.
    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// The address of this end, as the socket says (a system call; an
    /// error once the connection is closed).
    pub fn host(&self) -> io::Result<SocketAddr> {
        let wire = self.wire.upgrade().ok_or(io::ErrorKind::NotConnected)?;
        wire.host()
    }

    /// How many written bytes are waiting to be sent.
    pub fn buffered(&self) -> usize {
        self.wire.upgrade().map_or(0, |wire| wire.buffered())
    }

    /// Whether the connection is still open (closing counts as open).
    pub fn is_connected(&self) -> bool {
        self.wire.upgrade().is_some_and(|wire| wire.is_connected())
    }
}
// ANCHOR_END: transport

/// Timeouts: the plumbing that keeps a silent peer from holding a
/// connection for ever.
impl Transport {
    /// Closes the connection, as broken (`Disconnect::Lost` with a "timed
    /// out" error), once the other end has sent nothing for `limit`,
    /// counted from now and from each arrival of data. `None` lifts the
    /// limit. A timer checks when the limit would be up; a connection that
    /// heard something since is checked again later, so there is one
    /// timer per connection, not one per read.
    pub fn set_idle_timeout(&self, limit: Option<Duration>) {
        if let Some(wire) = self.wire.upgrade() {
            wire.set_idle_timeout(limit);
        }
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("peer", &self.peer)
            .field("connected", &self.is_connected())
            .finish()
    }
}

// ANCHOR: wire
/// What a [`Transport`] is a handle on. A [`Connection`] (a TCP socket
/// the reactor watches) is the one every program uses; a test can put
/// anything else behind a transport, such as part 15's fake that keeps
/// what the protocol wrote in memory, with no socket and no reactor.
///
/// The methods take `self: Rc<Self>` because a transport holds its wire
/// weakly and calls it through the `Rc` it gets by upgrading.
pub trait Wire {
    /// Sends `data` after everything written before (see
    /// [`Transport::write`]).
    fn write(self: Rc<Self>, data: &[u8]);

    /// Sends shared bytes (see [`Transport::write_shared`]); by default,
    /// as [`write`](Wire::write) would.
    fn write_shared(self: Rc<Self>, data: &Rc<[u8]>) {
        self.write(data);
    }

    /// Closes once everything written has been sent (see
    /// [`Transport::lose_connection`]).
    fn lose_connection(self: Rc<Self>);

    /// The address of this end.
    fn host(&self) -> io::Result<SocketAddr>;

    /// How many written bytes are waiting to be sent.
    fn buffered(&self) -> usize;

    /// Whether the connection is still open.
    fn is_connected(&self) -> bool;

    /// Gives up on a silent peer (see [`Transport::set_idle_timeout`]); by
    /// default nothing, for a wire that cannot fall silent.
    fn set_idle_timeout(self: Rc<Self>, limit: Option<Duration>) {
        let _ = limit;
    }
}
// ANCHOR_END: wire

impl Transport {
    /// A transport on `wire`, whose other end is `peer`. The transport
    /// holds the wire weakly: whoever made the wire keeps it alive.
    pub fn new<W: Wire + 'static>(wire: &Rc<W>, peer: SocketAddr) -> Transport {
        let wire: Rc<dyn Wire> = wire.clone();
        Transport {
            wire: Rc::downgrade(&wire),
            peer,
        }
    }
}

/// A TCP connection's side of its transports.
impl Wire for Shared {
    fn write(self: Rc<Self>, data: &[u8]) {
        Shared::write(&self, Payload::Borrowed(data));
    }

    fn write_shared(self: Rc<Self>, data: &Rc<[u8]>) {
        Shared::write(&self, Payload::Shared(data));
    }

    fn lose_connection(self: Rc<Self>) {
        Shared::lose_connection(&self);
    }

    fn host(&self) -> io::Result<SocketAddr> {
        let socket = self.socket.borrow();
        socket
            .as_ref()
            .ok_or(io::ErrorKind::NotConnected)?
            .local_addr()
    }

    fn buffered(&self) -> usize {
        self.buffer.borrow().len()
    }

    fn is_connected(&self) -> bool {
        !self.closed.get()
    }

    fn set_idle_timeout(self: Rc<Self>, limit: Option<Duration>) {
        let Some(reactor) = self.reactor.upgrade() else {
            return;
        };
        self.heard.set(reactor.now());
        if self.idle.replace(limit).is_none()
            && let Some(limit) = limit
        {
            self.check_idle_in(&reactor, limit);
        }
    }
}

// ANCHOR: outgoing
/// What a protocol asked to send.
enum Payload<'a> {
    /// Borrowed for the call: whatever is left over must be copied.
    Borrowed(&'a [u8]),
    /// Shared: whatever is left over can be kept by reference.
    Shared(&'a Rc<[u8]>),
}

impl Payload<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Payload::Borrowed(data) => data,
            Payload::Shared(data) => data,
        }
    }
}

/// A connection's write buffer: the bytes the socket has not taken yet, as
/// pieces in the order they were written.
#[derive(Default)]
struct Outgoing {
    pieces: VecDeque<Piece>,
    /// How much of the first piece has been sent already.
    sent: usize,
    /// Bytes waiting in all the pieces.
    len: usize,
}

enum Piece {
    /// Copies of borrowed bytes; consecutive ones share one `Vec`.
    Copied(Vec<u8>),
    /// A reference to shared bytes, and where the waiting part of them
    /// starts.
    Shared(Rc<[u8]>, usize),
}

impl Piece {
    fn bytes(&self) -> &[u8] {
        match self {
            Piece::Copied(bytes) => bytes,
            Piece::Shared(bytes, from) => &bytes[*from..],
        }
    }
}

impl Outgoing {
    /// Keeps `payload[from..]` (the part the socket did not take).
    fn push(&mut self, payload: &Payload<'_>, from: usize) {
        let rest = &payload.bytes()[from..];
        if rest.is_empty() {
            return;
        }
        self.len += rest.len();
        match (payload, self.pieces.back_mut()) {
            (Payload::Shared(bytes), _) => {
                self.pieces.push_back(Piece::Shared(Rc::clone(bytes), from));
            }
            // After another copy: one piece. (Adding at its end leaves
            // `sent`, counted from its start, as it was.)
            (Payload::Borrowed(_), Some(Piece::Copied(last))) => last.extend_from_slice(rest),
            (Payload::Borrowed(_), _) => self.pieces.push_back(Piece::Copied(rest.to_vec())),
        }
    }

    /// The next bytes to send: what is left of the first piece.
    fn front(&self) -> &[u8] {
        self.pieces
            .front()
            .map_or(&[], |piece| &piece.bytes()[self.sent..])
    }

    /// The socket took `count` bytes of [`front`](Outgoing::front).
    fn consume(&mut self, count: usize) {
        self.len -= count;
        self.sent += count;
        if self
            .pieces
            .front()
            .is_some_and(|p| self.sent == p.bytes().len())
        {
            self.pieces.pop_front();
            self.sent = 0;
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn clear(&mut self) {
        *self = Outgoing::default();
    }
}
// ANCHOR_END: outgoing

/// One TCP connection as the reactor sees it: a reader and a writer on a
/// non-blocking socket, with a protocol to hand the bytes to.
///
/// Create one with [`Connection::open`] (for any connected socket: one a
/// client connected, or one a server accepted); the reactor then owns it,
/// and it ends itself when the connection is over.
pub struct Connection(Rc<Shared>);

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("fd", &self.0.fd)
            .field("peer", &self.0.peer)
            .field("buffered", &self.0.buffer.borrow().len())
            .field("closed", &self.0.closed.get())
            .finish()
    }
}

impl Connection {
    // ANCHOR: open
    /// Takes over a connected socket: makes it non-blocking, calls the
    /// protocol's `connection_made` with a transport for it, and registers
    /// it with the reactor for reading.
    pub fn open(
        reactor: &Reactor,
        socket: TcpStream,
        protocol: Box<dyn Protocol>,
    ) -> io::Result<Transport> {
        socket.set_nonblocking(true)?;
        let peer = socket.peer_addr()?;
        Connection::open_with(reactor, socket, peer, protocol, None)
    }

    /// Like [`open`](Connection::open), for a socket that is non-blocking
    /// already, connected to `peer`; and calls `when_lost` once the
    /// connection is over, after the protocol's `connection_lost`. (That is
    /// how a connector tells its factory.)
    ///
    /// Whoever made the socket knows both already (`connect` and `accept4`
    /// can make a socket non-blocking as they create it, and `accept` says
    /// who connected), so asking the kernel again would be two system calls
    /// per connection for nothing. A blocking socket here would block the
    /// whole reactor: don't.
    pub fn open_with(
        reactor: &Reactor,
        socket: TcpStream,
        peer: SocketAddr,
        protocol: Box<dyn Protocol>,
        when_lost: Option<LostHook>,
    ) -> io::Result<Transport> {
        let shared = Rc::new(Shared {
            fd: socket.as_raw_fd(),
            reactor: reactor.downgrade(),
            peer,
            socket: RefCell::new(Some(socket)),
            buffer: RefCell::new(Outgoing::default()),
            protocol: RefCell::new(protocol),
            writing: Cell::new(false),
            disconnecting: Cell::new(false),
            closed: Cell::new(false),
            failed: RefCell::new(None),
            when_lost: RefCell::new(when_lost),
            idle: Cell::new(None),
            heard: Cell::new(reactor.now()),
            idle_timer: RefCell::new(None),
        });
        let transport = shared.transport();
        shared
            .protocol
            .borrow_mut()
            .connection_made(transport.clone());
        // Watch for reading now, unless the protocol has hung up already.
        if !shared.disconnecting.get() {
            let reader = Rc::new(RefCell::new(Connection(Rc::clone(&shared))));
            if let Err(error) = reactor.add_reader(reader) {
                // The protocol was told the connection is made; it must be
                // told that it is over, from the reactor, like any ending.
                shared.close_soon(Disconnect::Lost(error));
            }
        }
        Ok(transport)
    }
    // ANCHOR_END: open
}

impl Shared {
    fn transport(self: &Rc<Self>) -> Transport {
        Transport::new(self, self.peer)
    }

    // ANCHOR: write
    fn write(self: &Rc<Self>, payload: Payload<'_>) {
        let data = payload.bytes();
        if self.closed.get() || self.disconnecting.get() || data.is_empty() {
            return;
        }
        let mut written = 0;
        // Nothing queued: try the socket straight away, as far as it goes.
        if self.buffer.borrow().is_empty() && self.failed.borrow().is_none() {
            match self.write_now(data) {
                Ok(n) => written = n,
                Err(error) => {
                    // Reported from `do_write`, so the protocol hears about
                    // it from the reactor, not from inside its own call.
                    *self.failed.borrow_mut() = Some(error);
                    written = data.len();
                }
            }
        }
        self.buffer.borrow_mut().push(&payload, written);
        if !self.buffer.borrow().is_empty() || self.failed.borrow().is_some() {
            self.start_writing();
        }
    }

    /// Writes as much of `data` as the socket takes without blocking.
    fn write_now(&self, data: &[u8]) -> io::Result<usize> {
        let socket = self.socket.borrow();
        let Some(mut socket) = socket.as_ref() else {
            return Ok(0);
        };
        let mut written = 0;
        while written < data.len() {
            match socket.write(&data[written..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(written)
    }

    /// Asks the reactor to call `do_write` when the socket is writable.
    fn start_writing(self: &Rc<Self>) {
        if self.writing.replace(true) {
            return;
        }
        // A new cell around the same connection: the reactor may be
        // borrowing the reading one right now.
        let writer = Rc::new(RefCell::new(Connection(Rc::clone(self))));
        let added = match self.reactor.upgrade() {
            Some(reactor) => reactor.add_writer(writer),
            None => Err(io::Error::other("the reactor is gone")),
        };
        if let Err(error) = added {
            self.writing.set(false);
            // Without the reactor's help the bytes can never leave.
            self.close_soon(Disconnect::Lost(error));
        }
    }
    // ANCHOR_END: write

    /// Checks for silence after `delay`: closes the connection if nothing
    /// came for the idle limit, or checks again when it would be up.
    fn check_idle_in(self: &Rc<Self>, reactor: &Reactor, delay: Duration) {
        let weak = Rc::downgrade(self);
        let handle = reactor.downgrade();
        let timer = reactor.call_later(delay, move || {
            let (Some(shared), Some(reactor)) = (weak.upgrade(), handle.upgrade()) else {
                return;
            };
            let Some(limit) = shared.idle.get() else {
                return; // the limit was lifted
            };
            if shared.closed.get() {
                return;
            }
            let silent = reactor.now().saturating_sub(shared.heard.get());
            if silent < limit {
                shared.check_idle_in(&reactor, limit - silent);
            } else {
                shared.close(Disconnect::Lost(part_02::cli::Timeouts::silent(limit)));
            }
        });
        *self.idle_timer.borrow_mut() = Some(timer);
    }

    /// Ends the connection on the reactor's next turn: not now, because the
    /// protocol may be calling us, and must hear `connection_lost` from the
    /// reactor rather than from inside its own call.
    fn close_soon(self: &Rc<Self>, reason: Disconnect) {
        let Some(reactor) = self.reactor.upgrade() else {
            return self.close(reason); // no next turn is coming
        };
        let shared = Rc::clone(self);
        reactor.call_later(Duration::ZERO, move || {
            shared.close(reason);
        });
    }

    /// Asks the reactor to stop calling `do_read`.
    fn stop_reading(&self) {
        if let Some(reactor) = self.reactor.upgrade() {
            let _ = reactor.remove_reader(self.fd);
        }
    }

    /// Asks the reactor to stop calling `do_write`.
    fn stop_writing(&self) {
        if let Some(reactor) = self.reactor.upgrade() {
            let _ = reactor.remove_writer(self.fd);
        }
    }

    // ANCHOR: lose
    fn lose_connection(self: &Rc<Self>) {
        if self.closed.get() || self.disconnecting.replace(true) {
            return;
        }
        // Read no more. If bytes are waiting (or a write failed), the
        // reactor is watching for writability, and `do_write` closes the
        // connection once they are sent; if not, there is nothing to wait
        // for.
        self.stop_reading();
        if !self.writing.get() {
            self.close_soon(Disconnect::Done);
        }
    }
    // ANCHOR_END: lose

    /// Ends the connection: stops watching the socket, closes it, and tells
    /// the protocol, then whoever asked to know. Does nothing the second
    /// time.
    fn close(self: &Rc<Self>, reason: Disconnect) {
        if self.closed.replace(true) {
            return;
        }
        // Stop watching before closing, so the descriptor's number is free
        // in the reactor as soon as the kernel can reuse it.
        self.stop_reading();
        if self.writing.replace(false) {
            self.stop_writing();
        }
        if let Some(socket) = self.socket.borrow_mut().take() {
            // Bytes the peer sent that nobody will read would make the
            // kernel reset the connection instead of closing it; the reset
            // can destroy data the peer has not read yet. Take them first.
            let mut sink = [0; 4096];
            while matches!((&socket).read(&mut sink), Ok(n) if n > 0) {}
            drop(socket);
        }
        self.buffer.borrow_mut().clear();
        let timer = self.idle_timer.borrow_mut().take();
        if let Some(timer) = timer {
            let _ = timer.cancel(); // it may be the call running now
        }
        let hook = self.when_lost.borrow_mut().take();
        match hook {
            Some(hook) => {
                let copy = copy_reason(&reason);
                self.protocol.borrow_mut().connection_lost(copy);
                hook(reason);
            }
            None => self.protocol.borrow_mut().connection_lost(reason),
        }
    }
}

impl FileDescriptor for Connection {
    fn fileno(&self) -> RawFd {
        self.0.fd
    }

    fn connection_lost(&mut self, _reactor: &Reactor, reason: Disconnect) {
        self.0.close(reason);
    }

    fn log_prefix(&self) -> String {
        format!("connection to {}", self.0.peer)
    }
}

// ANCHOR: do_read
impl ReadDescriptor for Connection {
    fn do_read(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        let shared = &self.0;
        shared.heard.set(reactor.now()); // readable: the peer is not silent
        let mut buffer = [0; READ_SIZE];
        // Read until the socket would block: the reactor may not say again.
        while !shared.closed.get() && !shared.disconnecting.get() {
            let read = match shared.socket.borrow().as_ref() {
                Some(mut socket) => socket.read(&mut buffer),
                None => return Ok(()),
            };
            match read {
                Ok(0) => return Err(Disconnect::Done),
                Ok(n) => shared.protocol.borrow_mut().data_received(&buffer[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Disconnect::Lost(e)),
            }
            // The protocol may have written, and the write may have failed.
            if let Some(error) = shared.failed.borrow_mut().take() {
                return Err(Disconnect::Lost(error));
            }
        }
        Ok(())
    }
}
// ANCHOR_END: do_read

// ANCHOR: do_write
impl WriteDescriptor for Connection {
    fn do_write(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        let shared = &self.0;
        if let Some(error) = shared.failed.borrow_mut().take() {
            return Err(Disconnect::Lost(error));
        }
        loop {
            let (written, wanted) = {
                let buffer = shared.buffer.borrow();
                let front = buffer.front();
                if front.is_empty() {
                    break;
                }
                (
                    shared.write_now(front).map_err(Disconnect::Lost)?,
                    front.len(),
                )
            };
            shared.buffer.borrow_mut().consume(written);
            if written < wanted {
                return Ok(()); // the socket is full: wait to be called again
            }
        }
        // Everything is sent.
        if shared.disconnecting.get() {
            return Err(Disconnect::Done);
        }
        shared.writing.set(false);
        let _ = reactor.remove_writer(shared.fd);
        Ok(())
    }
}
// ANCHOR_END: do_write

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything the buffer would send, front to back, `step` bytes at a
    /// time.
    fn drain(outgoing: &mut Outgoing, step: usize) -> Vec<u8> {
        let mut sent = Vec::new();
        while !outgoing.is_empty() {
            let front = outgoing.front();
            assert!(!front.is_empty(), "bytes counted, but none to send");
            let n = front.len().min(step);
            sent.extend_from_slice(&front[..n]);
            outgoing.consume(n);
        }
        sent
    }

    #[test]
    fn copies_merge_shares_do_not_and_the_order_holds() {
        let shared: Rc<[u8]> = Rc::from(&b"0123456789"[..]);
        let mut outgoing = Outgoing::default();
        outgoing.push(&Payload::Borrowed(b"abc"), 1); // "a" was sent
        outgoing.push(&Payload::Borrowed(b"de"), 0);
        outgoing.push(&Payload::Shared(&shared), 4); // "0123" was sent
        outgoing.push(&Payload::Borrowed(b"fg"), 0);
        outgoing.push(&Payload::Borrowed(b""), 0);
        outgoing.push(&Payload::Borrowed(b"xyz"), 3); // all sent: nothing kept
        assert_eq!(outgoing.pieces.len(), 3, "bcde, 456789, fg");
        assert_eq!(Rc::strong_count(&shared), 2);
        assert_eq!(outgoing.len(), 4 + 6 + 2);
        assert_eq!(drain(&mut outgoing, 3), b"bcde456789fg");
        assert_eq!(outgoing.len(), 0);
        assert_eq!(Rc::strong_count(&shared), 1, "sent pieces are let go");
    }

    /// One thing that can happen to a write buffer.
    #[derive(Clone, Debug)]
    enum Step {
        /// A write of `bytes`, shared or borrowed, of which the socket took
        /// `taken` (at most all of them) at once.
        Write {
            bytes: Vec<u8>,
            shared: bool,
            taken: usize,
        },
        /// The socket takes `n` bytes of the front (at most all of it).
        Send(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (
                proptest::collection::vec(any::<u8>(), 0..40),
                any::<bool>(),
                0..50usize
            )
                .prop_map(|(bytes, shared, taken)| Step::Write {
                    bytes,
                    shared,
                    taken
                }),
            (0..60usize).prop_map(Step::Send),
        ]
    }

    proptest! {
        /// Whatever mix of copied and shared writes and partial sends, the
        /// buffer sends exactly the bytes a plain queue of bytes would, in
        /// the same order, and keeps no empty piece.
        #[test]
        fn the_buffer_behaves_like_a_plain_queue_of_bytes(
            steps in proptest::collection::vec(step(), 0..60)
        ) {
            let mut outgoing = Outgoing::default();
            let mut model: VecDeque<u8> = VecDeque::new();
            let (mut sent, mut expected) = (Vec::new(), Vec::new());
            for step in steps {
                match step {
                    Step::Write { bytes, shared, taken } => {
                        let taken = taken.min(bytes.len());
                        let rc: Rc<[u8]> = Rc::from(&bytes[..]);
                        let payload = if shared {
                            Payload::Shared(&rc)
                        } else {
                            Payload::Borrowed(&bytes)
                        };
                        outgoing.push(&payload, taken);
                        model.extend(&bytes[taken..]);
                    }
                    Step::Send(n) => {
                        let front = outgoing.front();
                        let n = n.min(front.len());
                        sent.extend_from_slice(&front[..n]);
                        expected.extend(model.drain(..n));
                        outgoing.consume(n);
                    }
                }
                // What the pieces hold, less what was sent of the first, is
                // exactly what the plain queue holds.
                let held: Vec<u8> = outgoing
                    .pieces
                    .iter()
                    .flat_map(|piece| piece.bytes().iter().copied())
                    .skip(outgoing.sent)
                    .collect();
                prop_assert_eq!(&held, &model.iter().copied().collect::<Vec<u8>>());
                prop_assert_eq!(outgoing.len(), model.len());
                prop_assert_eq!(outgoing.is_empty(), model.is_empty());
                prop_assert!(model.is_empty() || !outgoing.front().is_empty());
                prop_assert!(outgoing.pieces.iter().all(|p| !p.bytes().is_empty()));
            }
            prop_assert_eq!(&sent, &expected);
            let rest = drain(&mut outgoing, 7);
            prop_assert_eq!(rest, model.into_iter().collect::<Vec<u8>>());
        }
    }

    #[test]
    fn a_copy_after_a_partly_sent_copy_keeps_its_place() {
        let mut outgoing = Outgoing::default();
        outgoing.push(&Payload::Borrowed(b"hello"), 0);
        outgoing.consume(2);
        outgoing.push(&Payload::Borrowed(b" world"), 0);
        assert_eq!(drain(&mut outgoing, 4), b"llo world");
    }
}
