//! # Part 4 — Twisted poetry
//!
//! Client 1.0: part 2's asynchronous poetry client, rebuilt on part 3's
//! [`Reactor`]. Part 2's client owned its loop: it waited on `mio`, looked
//! up which download a token meant, read, printed, and decided when to stop.
//! Here the loop belongs to the reactor, and the client is reduced to what
//! only a poetry client knows, packed into one object per connection, a
//! [`PoetrySocket`]:
//!
//! - [`fileno`](FileDescriptor::fileno): which file descriptor to watch;
//! - [`do_read`](ReadDescriptor::do_read): the descriptor is readable, so
//!   read what is there and print a line about it;
//! - [`connection_lost`](FileDescriptor::connection_lost): the server hung
//!   up (or the connection broke); if this was the last poetry socket, stop
//!   the reactor.
//!
//! The reactor calls these; nothing in the client calls them itself.
//! [`get_poetry`] is the whole client: connect every socket, hand each to
//! the reactor with [`Reactor::add_reader`] ([`connect_all`]), run the
//! reactor, and return the sockets with their poems.
//!
//! A [`SocketMode`] chooses whether the sockets are switched to
//! non-blocking, as they must be, or left blocking, as `client-1-broken`
//! leaves them to show what one blocking call inside a callback does to
//! everything else the reactor was supposed to be doing.

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::rc::{Rc, Weak};
use std::time::Duration;

use part_02::cli::Timeouts;
use part_02::{Address, FetchError, report};
use part_03::{Disconnect, FileDescriptor, Reactor, ReactorError, ReadDescriptor};

/// The [`log_prefix`](FileDescriptor::log_prefix) of every [`PoetrySocket`]:
/// how a poetry socket recognises the others among the reactor's readers.
pub const LOG_PREFIX: &str = "poetry";

/// Whether a [`PoetrySocket`] switches its socket to non-blocking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketMode {
    /// Reads return at once, with data or with `WouldBlock`: client 1.0.
    NonBlocking,
    /// Reads wait until the server sends something or closes:
    /// `client-1-broken`.
    Blocking,
}

/// Which stream a line of output belongs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output: the chunk and finish lines.
    Out,
    /// Standard error: failures.
    Err,
}

/// Where a poetry socket's lines go. The programs print them; the guided
/// demo and the tests collect them (and note when they came).
#[derive(Clone)]
pub struct Printer(Rc<PrintFn>);

/// What a [`Printer`] calls with each line.
type PrintFn = dyn Fn(Stream, &str);

impl Printer {
    /// Lines to standard output and standard error, as the programs print.
    pub fn stdio() -> Printer {
        Printer::new(|stream, line| match stream {
            Stream::Out => part_02::cli::print_line(line),
            Stream::Err => {
                let _ = writeln!(io::stderr(), "{line}");
            }
        })
    }

    /// Lines to a server's log ([`part_02::log`]): a closed or unread
    /// standard output never stops the program. What every server prints
    /// through.
    pub fn log() -> Printer {
        Printer::new(|stream, line| match stream {
            Stream::Out => part_02::log::out(line),
            Stream::Err => part_02::log::err(line),
        })
    }

    /// Lines to a function of your own.
    pub fn new(print: impl Fn(Stream, &str) + 'static) -> Printer {
        Printer(Rc::new(print))
    }

    /// Prints a line on standard output (or what stands for it).
    pub fn out(&self, line: &str) {
        (self.0)(Stream::Out, line)
    }

    /// Prints a line on standard error (or what stands for it).
    pub fn err(&self, line: &str) {
        (self.0)(Stream::Err, line)
    }
}

impl std::fmt::Debug for Printer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Printer")
    }
}

// ANCHOR: struct
/// One download: a connected socket, and everything the client knows
/// about it. The reactor calls it when the socket is readable.
#[derive(Debug)]
pub struct PoetrySocket {
    /// The task's number, counting from 1 in the order of the addresses.
    task: usize,
    /// Where the poem comes from, as the user wrote it.
    address: Address,
    /// The connection; `None` once it is over (dropping it closes it).
    socket: Option<TcpStream>,
    /// The poem so far.
    poem: Vec<u8>,
    /// Whether the server closed the connection: the poem is complete.
    finished: bool,
    /// Why the connection broke, if it did.
    error: Option<FetchError>,
    /// When each read returned bytes, and when the connection ended, on
    /// the reactor's clock: for drawing timelines.
    reads: Vec<Duration>,
    ended: Option<Duration>,
    /// Where the lines go.
    printer: Printer,
}
// ANCHOR_END: struct

impl PoetrySocket {
    // ANCHOR: connect
    /// Connects to the server at `addr`, waiting until the connection is
    /// made (or refused), then sets the socket's mode. The socket is not yet
    /// watched: hand it to [`Reactor::add_reader`] for that.
    pub fn connect(
        task: usize,
        address: Address,
        addr: SocketAddr,
        mode: SocketMode,
        timeouts: &Timeouts,
        printer: Printer,
    ) -> Result<PoetrySocket, FetchError> {
        let socket = TcpStream::connect_timeout(&addr, timeouts.connect_timeout)
            .map_err(FetchError::Connect)?;
        // A blocking read gives up too, rather than hold the reactor for ever.
        socket
            .set_read_timeout(timeouts.idle())
            .map_err(FetchError::Connect)?;
        // The one line client 1.0 cannot do without.
        let non_blocking = mode == SocketMode::NonBlocking;
        socket
            .set_nonblocking(non_blocking)
            .map_err(FetchError::Connect)?;
        Ok(PoetrySocket {
            task,
            address,
            socket: Some(socket),
            poem: Vec::new(),
            finished: false,
            error: None,
            reads: Vec::new(),
            ended: None,
            printer,
        })
    }
    // ANCHOR_END: connect

    /// The task's number.
    pub fn task(&self) -> usize {
        self.task
    }

    /// The server's address.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// The bytes received so far (the whole poem once
    /// [`is_finished`](PoetrySocket::is_finished)).
    pub fn poem(&self) -> &[u8] {
        &self.poem
    }

    /// Whether the server closed the connection normally: the poem is
    /// complete.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Why the connection broke, if it did.
    pub fn error(&self) -> Option<&FetchError> {
        self.error.as_ref()
    }

    /// Whether the connection is still open.
    pub fn is_open(&self) -> bool {
        self.socket.is_some()
    }

    /// When each read that returned bytes did so, on the reactor's clock:
    /// for drawing timelines.
    pub fn reads(&self) -> &[Duration] {
        &self.reads
    }

    /// When the connection ended (the server closed it, or it broke), on
    /// the reactor's clock.
    pub fn ended(&self) -> Option<Duration> {
        self.ended
    }

    /// Hangs up, if the connection is still open: for clients that give up
    /// on a server. The reactor must stop watching the socket first.
    pub fn close(&mut self) {
        self.socket = None;
    }
}

// ANCHOR: file_descriptor
impl FileDescriptor for PoetrySocket {
    fn fileno(&self) -> RawFd {
        // -1, "no descriptor", once the socket is closed.
        self.socket.as_ref().map_or(-1, AsRawFd::as_raw_fd)
    }

    fn connection_lost(&mut self, reactor: &Reactor, reason: Disconnect) {
        self.socket = None; // closes the connection
        self.ended = Some(reactor.now());
        if let Disconnect::Lost(error) = reason {
            let error = FetchError::on_socket(self.poem.len(), error);
            self.printer
                .err(&report::failed(self.task, &self.address, &error));
            self.error = Some(error);
        }
        // The reactor has already forgotten us. Is anyone still reading poetry?
        let others = reactor
            .readers()
            .iter()
            .any(|reader| reader.borrow().log_prefix() == LOG_PREFIX);
        if !others {
            // No more poetry: `run` returns once we do.
            let _ = reactor.stop();
        }
    }

    fn log_prefix(&self) -> String {
        LOG_PREFIX.to_string()
    }
}
// ANCHOR_END: file_descriptor

// ANCHOR: do_read
impl ReadDescriptor for PoetrySocket {
    fn do_read(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        let Some(socket) = self.socket.as_mut() else {
            return Err(Disconnect::Done);
        };
        let mut buffer = [0; 1024];
        let mut received = 0;
        // Read until the socket would block: the contract of every reader.
        let outcome = loop {
            match socket.read(&mut buffer) {
                Ok(0) => break Err(Disconnect::Done), // the server closed
                Ok(n) => {
                    self.poem.extend_from_slice(&buffer[..n]);
                    self.reads.push(reactor.now());
                    received += n;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(Disconnect::Lost(e)),
            }
        };
        if received > 0 {
            let line = report::got_chunk(self.task, received, &self.address);
            self.printer.out(&line);
        }
        if let Err(Disconnect::Done) = outcome {
            self.finished = true;
            self.printer.out(&report::finished(self.task));
        }
        outcome // Err: the reactor stops watching us and calls connection_lost
    }
}
// ANCHOR_END: do_read

/// A poetry socket, shared between the client and the reactor.
pub type Shared = Rc<RefCell<PoetrySocket>>;

/// One task after the run: its socket (which holds the poem, or why the
/// connection broke), or why it could not connect.
pub type Task = Result<Shared, FetchError>;

// ANCHOR: get_poetry
/// Client 1.0 from start to end: connects to every server and hands each
/// socket to the reactor ([`connect_all`]), runs the reactor until the last
/// poetry socket stops it, and returns one [`Task`] per server, in order.
/// If no server could be reached, the reactor is not run at all: nothing
/// would ever stop it.
pub fn get_poetry(
    reactor: &Reactor,
    servers: &[(Address, SocketAddr)],
    mode: SocketMode,
    timeouts: &Timeouts,
    printer: &Printer,
) -> Result<Vec<Task>, ReactorError> {
    let tasks = connect_all(reactor, servers, mode, timeouts, printer)?;
    if tasks.iter().any(Result::is_ok) {
        reactor.run()?;
    }
    Ok(tasks)
}

/// Connects a [`PoetrySocket`] to each server, in order, and registers it
/// with the reactor as a reader. A server that cannot be reached gets a
/// failed line on the printer's error stream, and its task is an `Err`.
/// Fails only if the reactor cannot watch a socket.
pub fn connect_all(
    reactor: &Reactor,
    servers: &[(Address, SocketAddr)],
    mode: SocketMode,
    timeouts: &Timeouts,
    printer: &Printer,
) -> Result<Vec<Task>, ReactorError> {
    let mut tasks = Vec::with_capacity(servers.len());
    for (i, (address, addr)) in servers.iter().enumerate() {
        let task = i + 1;
        match PoetrySocket::connect(
            task,
            address.clone(),
            *addr,
            mode,
            timeouts,
            printer.clone(),
        ) {
            Ok(socket) => {
                let socket = Rc::new(RefCell::new(socket));
                // From here on, the reactor calls the socket, not us.
                reactor.add_reader(socket.clone())?;
                hang_up_when_silent(reactor, &socket, timeouts.idle());
                tasks.push(Ok(socket));
            }
            Err(error) => {
                printer.err(&report::failed(task, address, &error));
                tasks.push(Err(error));
            }
        }
    }
    Ok(tasks)
}
// ANCHOR_END: get_poetry

/// Pairs each command-line address with where it resolved to, as
/// [`get_poetry`] takes them.
pub fn servers(addresses: &[Address], sockets: &[SocketAddr]) -> Vec<(Address, SocketAddr)> {
    addresses
        .iter()
        .cloned()
        .zip(sockets.iter().copied())
        .collect()
}

/// Hangs up on `socket` once the server has sent nothing for `idle` (no
/// limit: `None`), as if the connection had broken with a `TimedOut`
/// error: the reactor stops watching it and its `connection_lost` runs.
/// The check is a timer, due when the socket's idle time would be up; a
/// socket that has received something since is checked again later.
pub fn hang_up_when_silent(reactor: &Reactor, socket: &Shared, idle: Option<Duration>) {
    let Some(idle) = idle else {
        return;
    };
    let socket = Rc::downgrade(socket);
    let handle = reactor.clone();
    // The clock starts once the reactor runs, that is, once it listens to
    // the socket (client 1.0 connects to every server before that).
    let _ = reactor.call_later(Duration::ZERO, move || {
        let since = handle.now();
        let again = handle.clone();
        let _ = handle.call_later(idle, move || check_silence(&again, &socket, since, idle));
    });
}

fn check_silence(
    reactor: &Reactor,
    socket: &Weak<RefCell<PoetrySocket>>,
    since: Duration,
    idle: Duration,
) {
    let Some(socket) = socket.upgrade() else {
        return;
    };
    let last_heard = {
        let socket = socket.borrow();
        if !socket.is_open() {
            return;
        }
        socket.reads.last().copied().unwrap_or(since).max(since)
    };
    let silent = reactor.now().saturating_sub(last_heard);
    if silent < idle {
        let handle = reactor.clone();
        let weak = Rc::downgrade(&socket);
        let _ = reactor.call_later(idle - silent, move || {
            check_silence(&handle, &weak, last_heard, idle)
        });
        return;
    }
    let fd = socket.borrow().fileno();
    let _ = reactor.remove_reader(fd);
    socket
        .borrow_mut()
        .connection_lost(reactor, Disconnect::Lost(Timeouts::silent(idle)));
}
