//! Sockets for `async` code, driven by our reactor's readiness.
//!
//! Part 4's client gave the reactor a reader with a `do_read` that did the
//! reading. Here the reader does no reading at all: its `do_read` only
//! calls the [`Waker`] of the task that is waiting to read. The task does
//! the reading itself, in [`AsyncRead::poll_read`]:
//!
//! 1. try the read; if it gives bytes (or an error, or the end), that is
//!    the answer;
//! 2. if it would block, leave the waker with the socket's watcher, make
//!    sure the reactor watches the socket for reading, and say `Pending`;
//! 3. the reactor finds the socket readable, calls the watcher's
//!    `do_read`, which calls the waker, which queues the task; the task is
//!    polled again and goes back to 1.
//!
//! Always trying first keeps the reactor's edge-triggered rule ("read
//! until it would block") without any bookkeeping of readiness: a task
//! only waits after the kernel has said "would block". A watcher called
//! when no task is waiting stops watching, so a level-triggered backend
//! does not call it again and again for data nobody is reading yet; the
//! next "would block" watches again.
//!
//! [`TcpStream`] implements `futures`' [`AsyncRead`] and [`AsyncWrite`], so
//! the whole `futures::io` toolbox (`read_to_end`, `write_all`, …) works
//! on it, on our reactor, with no tokio.

use std::cell::RefCell;
use std::future::poll_fn;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::io::{AsyncRead, AsyncWrite};
use part_03::{Disconnect, FileDescriptor, Reactor, ReadDescriptor, WeakReactor, WriteDescriptor};
use part_11::listen::ACCEPTS_PER_TURN;

/// Which way a task waits on a socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Way {
    Read,
    Write,
}

/// One way's waiting task, and whether the reactor watches that way.
#[derive(Default)]
struct Waiting {
    waker: Option<Waker>,
    watched: bool,
}

// ANCHOR: watcher
/// What the reactor watches for a socket: a reader and writer whose only
/// work is to wake the task waiting that way.
struct Watcher {
    fd: RawFd,
    /// Weak: the reactor keeps the watcher, not the other way round.
    reactor: WeakReactor,
    read: Waiting,
    write: Waiting,
}

impl Watcher {
    /// The socket is ready `way`: wake the task waiting, or, if none is,
    /// stop watching until one is.
    fn ready(&mut self, reactor: &Reactor, way: Way) {
        let waiting = match way {
            Way::Read => &mut self.read,
            Way::Write => &mut self.write,
        };
        if let Some(waker) = waiting.waker.take() {
            waker.wake();
            return;
        }
        waiting.watched = false;
        let _ = match way {
            Way::Read => reactor.remove_reader(self.fd),
            Way::Write => reactor.remove_writer(self.fd),
        };
    }
}

impl ReadDescriptor for Watcher {
    fn do_read(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        self.ready(reactor, Way::Read);
        Ok(())
    }
}

impl WriteDescriptor for Watcher {
    fn do_write(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        self.ready(reactor, Way::Write);
        Ok(())
    }
}
// ANCHOR_END: watcher

impl FileDescriptor for Watcher {
    fn fileno(&self) -> RawFd {
        self.fd
    }
}

/// A socket's registration with the reactor (shared by its streams and
/// listeners).
struct Registration(Rc<RefCell<Watcher>>);

impl Registration {
    fn new(reactor: &Reactor, fd: RawFd) -> Registration {
        Registration(Rc::new(RefCell::new(Watcher {
            fd,
            reactor: reactor.downgrade(),
            read: Waiting::default(),
            write: Waiting::default(),
        })))
    }

    // ANCHOR: poll_io
    /// Tries `op`; if it would block, arranges for the task to be woken
    /// when the socket is ready `way`, and says `Pending`.
    fn poll_io<T>(
        &self,
        cx: &mut Context<'_>,
        way: Way,
        mut op: impl FnMut() -> io::Result<T>,
    ) -> Poll<io::Result<T>> {
        loop {
            match op() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return match self.wait(cx, way) {
                        Ok(()) => Poll::Pending,
                        Err(error) => Poll::Ready(Err(error)),
                    };
                }
                done => return Poll::Ready(done),
            }
        }
    }

    /// Leaves the task's waker for `way`, and has the reactor watch the
    /// socket that way if it does not already.
    fn wait(&self, cx: &mut Context<'_>, way: Way) -> io::Result<()> {
        let (reactor, start_watching) = {
            let mut watcher = self.0.borrow_mut();
            let reactor = watcher.reactor.clone();
            let waiting = match way {
                Way::Read => &mut watcher.read,
                Way::Write => &mut watcher.write,
            };
            waiting.waker = Some(cx.waker().clone());
            (reactor, !std::mem::replace(&mut waiting.watched, true))
        };
        if start_watching {
            let reactor = reactor
                .upgrade()
                .ok_or_else(|| io::Error::other("the reactor no longer exists"))?;
            let watcher = Rc::clone(&self.0);
            match way {
                Way::Read => reactor.add_reader(watcher)?,
                Way::Write => reactor.add_writer(watcher)?,
            }
        }
        Ok(())
    }
    // ANCHOR_END: poll_io
}

impl Drop for Registration {
    /// Stops the reactor watching the socket, before the socket (dropped
    /// right after) closes and its number may go to another.
    fn drop(&mut self) {
        let watcher = self.0.borrow();
        if let Some(reactor) = watcher.reactor.upgrade() {
            let fd = watcher.fd;
            let (read, write) = (watcher.read.watched, watcher.write.watched);
            drop(watcher);
            if read {
                let _ = reactor.remove_reader(fd);
            }
            if write {
                let _ = reactor.remove_writer(fd);
            }
        }
    }
}

/// A TCP connection for `async` code on our reactor.
pub struct TcpStream {
    // Field order matters: the registration is dropped (and the reactor
    // stops watching) before the socket closes.
    registration: Registration,
    socket: mio::net::TcpStream,
}

impl std::fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpStream")
            .field("fd", &self.socket.as_raw_fd())
            .finish()
    }
}

impl TcpStream {
    // ANCHOR: connect
    /// Connects to `addr`. The connection is started without blocking;
    /// the task waits until the socket is writable, which is when the
    /// kernel knows whether it worked.
    pub async fn connect(reactor: &Reactor, addr: SocketAddr) -> io::Result<TcpStream> {
        let socket = mio::net::TcpStream::connect(addr)?;
        let stream = TcpStream::from_mio(reactor, socket);
        poll_fn(|cx| {
            stream.registration.poll_io(cx, Way::Write, || {
                if let Some(error) = stream.socket.take_error()? {
                    return Err(error);
                }
                match stream.socket.peer_addr() {
                    Ok(_) => Ok(()),
                    // Not yet: wait until it is writable.
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                        Err(io::ErrorKind::WouldBlock.into())
                    }
                    Err(e) => Err(e),
                }
            })
        })
        .await?;
        Ok(stream)
    }
    // ANCHOR_END: connect

    fn from_mio(reactor: &Reactor, socket: mio::net::TcpStream) -> TcpStream {
        TcpStream {
            registration: Registration::new(reactor, socket.as_raw_fd()),
            socket,
        }
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.socket.peer_addr()
    }

    /// The address of this end.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Sends small writes at once rather than waiting to batch them.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.socket.set_nodelay(nodelay)
    }
}

impl AsyncRead for TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.registration
            .poll_io(cx, Way::Read, || (&this.socket).read(buf))
    }
}

impl AsyncWrite for TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.registration
            .poll_io(cx, Way::Write, || (&this.socket).write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(())) // nothing is buffered on our side
    }

    /// Shuts down the sending side: the other end reads the end of the
    /// stream. (Dropping the stream closes it altogether.)
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(match self.socket.shutdown(Shutdown::Write) {
            Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(()),
            other => other,
        })
    }
}

/// A listening TCP socket for `async` code on our reactor.
pub struct TcpListener {
    registration: Registration,
    listener: mio::net::TcpListener,
    /// Connections accepted since the task last had to wait or gave way.
    accepted_in_a_row: std::cell::Cell<usize>,
}

impl std::fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpListener")
            .field("addr", &self.listener.local_addr().ok())
            .finish()
    }
}

impl TcpListener {
    /// Takes over a listening socket (made non-blocking here), as part 2's
    /// `ServerArgs::open` makes them, with a long accept queue.
    pub fn from_std(reactor: &Reactor, listener: std::net::TcpListener) -> io::Result<Self> {
        listener.set_nonblocking(true)?;
        let listener = mio::net::TcpListener::from_std(listener);
        Ok(TcpListener {
            registration: Registration::new(reactor, listener.as_raw_fd()),
            listener,
            accepted_in_a_row: std::cell::Cell::new(0),
        })
    }

    /// Listens on `iface:port` (port 0: any free port), with part 2's
    /// accept queue of at least 1,024.
    pub fn bind(reactor: &Reactor, iface: &str, port: u16) -> io::Result<Self> {
        let listener = part_02::server::listen(iface, port).map_err(io::Error::other)?;
        TcpListener::from_std(reactor, listener)
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    // ANCHOR: accept
    /// Waits for a client, and returns its connection and address.
    ///
    /// After part 11's [`ACCEPTS_PER_TURN`] connections in a row without
    /// waiting, the accepting task gives way once (it wakes itself and
    /// says `Pending`), so that a crowd arriving at once cannot keep the
    /// tasks of the connections already accepted from running: the same
    /// rule as part 11's listening port, and as tokio's budget.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (socket, peer) = poll_fn(|cx| {
            let in_a_row = self.accepted_in_a_row.get();
            if in_a_row >= ACCEPTS_PER_TURN {
                self.accepted_in_a_row.set(0);
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let polled = self
                .registration
                .poll_io(cx, Way::Read, || self.listener.accept());
            self.accepted_in_a_row.set(match &polled {
                Poll::Ready(Ok(_)) => in_a_row + 1,
                _ => 0,
            });
            polled
        })
        .await?;
        let reactor = self
            .registration
            .0
            .borrow()
            .reactor
            .upgrade()
            .ok_or_else(|| io::Error::other("the reactor no longer exists"))?;
        Ok((TcpStream::from_mio(&reactor, socket), peer))
    }
    // ANCHOR_END: accept
}
