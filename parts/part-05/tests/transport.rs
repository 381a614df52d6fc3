//! Transports, protocols and connect-TCP on both reactor backends, against
//! peers written with plain blocking std sockets on port 0: bytes arrive in
//! order, writes reach the peer (a small echo and a write of several
//! megabytes that cannot fit in the socket at once), `lose_connection`
//! sends everything first, a refused connection reaches the factory through
//! the reactor, and a peer that hangs up ends the protocol with `Done`.

use std::cell::{Cell, RefCell};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use part_03::{BackendKind, Clock, Disconnect, Reactor};
use part_05::{ClientFactory, Connection, Connector, Protocol, Transport, connect_tcp};

/// How long any one test's reactor may run before the test fails.
const LIMIT: Duration = Duration::from_secs(20);

/// Everything that happened to a protocol and its factory, in order.
#[derive(Default)]
struct Log {
    events: Vec<String>,
    received: Vec<u8>,
    lost: Option<Disconnect>,
    failed: Option<io::Error>,
    transport: Option<Transport>,
    /// Bytes still waiting to be sent right after the script's write.
    buffered: usize,
}

type Shared = Rc<RefCell<Log>>;

/// What a test protocol does when the connection is made.
#[derive(Clone, Default)]
struct Script {
    /// Bytes to write at once.
    write: Vec<u8>,
    /// Hang up right after writing them.
    hang_up: bool,
    /// Hang up once this many bytes have arrived.
    hang_up_after: Option<usize>,
}

struct Recorder {
    log: Shared,
    script: Script,
    transport: Option<Transport>,
}

impl Protocol for Recorder {
    fn connection_made(&mut self, transport: Transport) {
        self.log.borrow_mut().events.push("made".into());
        if !self.script.write.is_empty() {
            transport.write(&self.script.write);
            self.log.borrow_mut().buffered = transport.buffered();
        }
        if self.script.hang_up {
            transport.lose_connection();
        }
        self.log.borrow_mut().transport = Some(transport.clone());
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        let mut log = self.log.borrow_mut();
        log.received.extend_from_slice(data);
        if self
            .script
            .hang_up_after
            .is_some_and(|n| log.received.len() >= n)
            && let Some(transport) = &self.transport
        {
            transport.lose_connection();
        }
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        let mut log = self.log.borrow_mut();
        log.events.push("lost".into());
        log.lost = Some(reason);
    }
}

/// Builds recorders, notes what the connector says, and stops the reactor
/// when the connection is over or could not be made.
struct Factory {
    reactor: Reactor,
    log: Shared,
    script: Script,
    built: Cell<usize>,
}

impl ClientFactory for Factory {
    fn started_connecting(&self, _connector: &Connector) {
        self.log.borrow_mut().events.push("started".into());
    }

    fn build_protocol(self: Rc<Self>, addr: SocketAddr) -> Box<dyn Protocol> {
        self.built.set(self.built.get() + 1);
        self.log.borrow_mut().events.push(format!("build {addr}"));
        Box::new(Recorder {
            log: Rc::clone(&self.log),
            script: self.script.clone(),
            transport: None,
        })
    }

    fn client_connection_failed(&self, _connector: &Connector, reason: io::Error) {
        let mut log = self.log.borrow_mut();
        log.events.push("failed".into());
        log.failed = Some(reason);
        let _ = self.reactor.stop();
    }

    fn client_connection_lost(&self, _connector: &Connector, _reason: Disconnect) {
        self.log.borrow_mut().events.push("factory lost".into());
        let _ = self.reactor.stop();
    }
}

fn reactor(backend: BackendKind) -> Reactor {
    Reactor::with(backend, Clock::real()).unwrap()
}

/// Runs the reactor until it is stopped, failing the test after `LIMIT`.
fn run(reactor: &Reactor) {
    let timed_out = Rc::new(Cell::new(false));
    let (r, t) = (reactor.clone(), Rc::clone(&timed_out));
    let guard = reactor.call_later(LIMIT, move || {
        t.set(true);
        let _ = r.stop();
    });
    reactor.run().unwrap();
    assert!(!timed_out.get(), "the reactor was never stopped");
    let _ = guard.cancel();
}

/// Connects a recorder following `script` to `addr` and runs the reactor
/// until the connection is over.
fn connect_and_run(backend: BackendKind, addr: SocketAddr, script: Script) -> (Shared, usize) {
    let reactor = reactor(backend);
    let log: Shared = Rc::default();
    let factory = Rc::new(Factory {
        reactor: reactor.clone(),
        log: Rc::clone(&log),
        script,
        built: Cell::new(0),
    });
    connect_tcp(&reactor, addr, factory.clone());
    run(&reactor);
    let built = factory.built.get();
    (log, built)
}

/// A peer on port 0 running `serve` on its one connection, on a thread.
fn peer<T: Send + 'static>(
    serve: impl FnOnce(TcpStream) -> T + Send + 'static,
) -> (SocketAddr, JoinHandle<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let thread = thread::spawn(move || {
        let (socket, _) = listener.accept().unwrap();
        socket.set_read_timeout(Some(LIMIT)).unwrap();
        serve(socket)
    });
    (addr, thread)
}

/// `len` bytes that are not all the same, so order matters.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn is_done(reason: &Option<Disconnect>) -> bool {
    matches!(reason, Some(Disconnect::Done))
}

fn data_arrives_in_order_and_the_close_is_done(backend: BackendKind) {
    let poem = pattern(200_000);
    let sent = poem.clone();
    let (addr, peer) = peer(move |mut socket| {
        // In pieces, with pauses, so the reactor sees many readable events.
        for piece in sent.chunks(20_000) {
            socket.write_all(piece).unwrap();
            thread::sleep(Duration::from_millis(2));
        }
    });
    let (log, built) = connect_and_run(backend, addr, Script::default());
    peer.join().unwrap();
    let log = log.borrow();
    assert_eq!(built, 1);
    assert!(log.received == poem, "bytes out of order or missing");
    assert!(is_done(&log.lost), "{:?}", log.lost);
    assert_eq!(
        log.events,
        [
            "started",
            &format!("build {addr}"),
            "made",
            "lost",
            "factory lost"
        ]
    );
}

fn a_protocol_writes_and_the_peer_echoes(backend: BackendKind) {
    let (addr, peer) = peer(|mut socket| {
        // Echo until the client hangs up.
        let mut buffer = [0; 1024];
        loop {
            match socket.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => socket.write_all(&buffer[..n]).unwrap(),
            }
        }
    });
    let message = b"Tyger Tyger, burning bright".to_vec();
    let script = Script {
        write: message.clone(),
        hang_up_after: Some(message.len()),
        ..Script::default()
    };
    let (log, _) = connect_and_run(backend, addr, script);
    peer.join().unwrap();
    let log = log.borrow();
    assert_eq!(log.received, message);
    assert!(is_done(&log.lost), "{:?}", log.lost);
    let transport = log.transport.as_ref().unwrap();
    assert_eq!(transport.peer(), addr);
    assert!(!transport.is_connected());
    // Only an open socket can say where it is.
    let closed = transport.host().unwrap_err();
    assert_eq!(closed.kind(), io::ErrorKind::NotConnected, "{closed}");
    transport.write(b"after the end"); // does nothing, and does not panic
}

fn lose_connection_sends_everything_first(backend: BackendKind) {
    let (addr, peer) = peer(|mut socket| {
        // Let the client's writes pile up before reading any.
        thread::sleep(Duration::from_millis(100));
        let mut all = Vec::new();
        socket.read_to_end(&mut all).unwrap();
        all
    });
    let message = pattern(8 * 1024 * 1024);
    let script = Script {
        write: message.clone(),
        hang_up: true,
        ..Script::default()
    };
    let (log, _) = connect_and_run(backend, addr, script);
    let got = peer.join().unwrap();
    assert!(
        log.borrow().buffered > 0,
        "nothing was pending at the hang-up"
    );
    assert_eq!(got.len(), message.len());
    assert!(got == message, "the peer got other bytes than were written");
    assert!(is_done(&log.borrow().lost), "{:?}", log.borrow().lost);
}

fn a_large_write_that_cannot_fit_arrives_whole(backend: BackendKind) {
    let size = 8 * 1024 * 1024;
    let (addr, peer) = peer(move |mut socket| {
        thread::sleep(Duration::from_millis(100));
        let mut all = Vec::new();
        socket.read_to_end(&mut all).unwrap();
        all
    });
    let script = Script {
        write: pattern(size),
        hang_up: true,
        ..Script::default()
    };
    let (log, _) = connect_and_run(backend, addr, script);
    let got = peer.join().unwrap();
    let log = log.borrow();
    assert!(
        log.buffered > 0,
        "the socket took 8 MB at once: nothing was buffered"
    );
    assert_eq!(got.len(), size);
    assert!(got == pattern(size), "the bytes arrived changed");
    assert!(is_done(&log.lost), "{:?}", log.lost);
}

fn a_refused_connection_reaches_the_factory_through_the_reactor(backend: BackendKind) {
    let addr = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    }; // closed again: nothing listens there now
    let reactor = reactor(backend);
    let log: Shared = Rc::default();
    let factory = Rc::new(Factory {
        reactor: reactor.clone(),
        log: Rc::clone(&log),
        script: Script::default(),
        built: Cell::new(0),
    });
    let connector = connect_tcp(&reactor, addr, factory.clone());
    assert!(
        log.borrow().failed.is_none(),
        "the failure must come from the reactor, not from connect_tcp"
    );
    assert_eq!(connector.addr(), addr);
    run(&reactor);
    let log = log.borrow();
    assert_eq!(
        log.failed.as_ref().map(io::Error::kind),
        Some(io::ErrorKind::ConnectionRefused)
    );
    assert_eq!(log.events, ["started", "failed"]);
    assert_eq!(
        factory.built.get(),
        0,
        "no protocol for a failed connection"
    );
    assert!(!connector.is_connecting() && connector.transport().is_none());
}

fn a_peer_that_hangs_up_ends_the_protocol_with_done(backend: BackendKind) {
    let (addr, peer) = peer(drop);
    let (log, built) = connect_and_run(backend, addr, Script::default());
    peer.join().unwrap();
    let log = log.borrow();
    assert_eq!(built, 1);
    assert!(log.received.is_empty());
    assert!(is_done(&log.lost), "{:?}", log.lost);
    assert_eq!(
        log.events,
        [
            "started",
            &format!("build {addr}"),
            "made",
            "lost",
            "factory lost"
        ]
    );
}

/// An echo protocol for an accepted connection: what a server would do.
struct Echo {
    transport: Option<Transport>,
    reactor: Reactor,
    lost: Rc<Cell<bool>>,
}

impl Protocol for Echo {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        if let Some(transport) = &self.transport {
            transport.write(data);
        }
    }
    fn connection_lost(&mut self, reason: Disconnect) {
        self.lost.set(matches!(reason, Disconnect::Done));
        let _ = self.reactor.stop();
    }
}

fn an_accepted_socket_can_be_opened_too(backend: BackendKind) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = thread::spawn(move || {
        let mut socket = TcpStream::connect(addr).unwrap();
        socket.set_read_timeout(Some(LIMIT)).unwrap();
        socket.write_all(b"The Panther").unwrap();
        let mut back = [0; 11];
        socket.read_exact(&mut back).unwrap();
        back
    });
    let (socket, from) = listener.accept().unwrap();
    let reactor = reactor(backend);
    let lost = Rc::new(Cell::new(false));
    let echo = Echo {
        transport: None,
        reactor: reactor.clone(),
        lost: Rc::clone(&lost),
    };
    let transport = Connection::open(&reactor, socket, Box::new(echo)).unwrap();
    assert_eq!(transport.peer(), from);
    assert_eq!(transport.host().unwrap(), addr);
    run(&reactor);
    assert_eq!(&client.join().unwrap(), b"The Panther");
    assert!(
        lost.get(),
        "the client's close should end the protocol with Done"
    );
}

/// Writes in `connection_made`: a copied byte, a shared poem, another
/// copied byte; then hangs up.
struct SharedWriter {
    poem: Rc<[u8]>,
    reactor: Reactor,
    lost: Rc<Cell<bool>>,
}

impl Protocol for SharedWriter {
    fn connection_made(&mut self, transport: Transport) {
        transport.write(b"<");
        transport.write_shared(&self.poem);
        transport.write(b">");
        transport.lose_connection();
    }
    fn data_received(&mut self, _data: &[u8]) {}
    fn connection_lost(&mut self, reason: Disconnect) {
        self.lost.set(matches!(reason, Disconnect::Done));
        let _ = self.reactor.stop();
    }
}

/// A connection with a [`SharedWriter`] on it (which has written by the
/// time this returns), to a client that reads only when told.
struct SharedWrite {
    reactor: Reactor,
    poem: Rc<[u8]>,
    lost: Rc<Cell<bool>>,
    transport: Transport,
    go: mpsc::Sender<()>,
    client: JoinHandle<Vec<u8>>,
}

impl SharedWrite {
    fn open(backend: BackendKind, poem_len: usize) -> SharedWrite {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (go, wait) = mpsc::channel();
        let client = thread::spawn(move || {
            let mut socket = TcpStream::connect(addr).unwrap();
            socket.set_read_timeout(Some(LIMIT)).unwrap();
            wait.recv().unwrap();
            let mut got = Vec::new();
            socket.read_to_end(&mut got).unwrap();
            got
        });
        let (socket, _) = listener.accept().unwrap();
        let reactor = reactor(backend);
        let poem: Rc<[u8]> = pattern(poem_len).into();
        let lost = Rc::new(Cell::new(false));
        let writer = SharedWriter {
            poem: Rc::clone(&poem),
            reactor: reactor.clone(),
            lost: Rc::clone(&lost),
        };
        let transport = Connection::open(&reactor, socket, Box::new(writer)).unwrap();
        SharedWrite {
            reactor,
            poem,
            lost,
            transport,
            go,
            client,
        }
    }

    /// Lets the client read, and checks it got `<`, the poem, `>`.
    fn client_gets_everything(self) {
        let _ = self.go.send(()); // unless told already

        let got = self.client.join().unwrap();
        assert_eq!(got.len(), self.poem.len() + 2);
        assert_eq!((got[0], got[got.len() - 1]), (b'<', b'>'));
        assert!(
            got[1..got.len() - 1] == self.poem[..],
            "the poem arrived changed"
        );
    }
}

fn a_shared_write_is_kept_by_reference_not_copied(backend: BackendKind) {
    // Far more than the socket buffers take while nobody reads.
    let test = SharedWrite::open(backend, 32 << 20);
    // Two references to the poem here (ours, the protocol's), and one more
    // in the write buffer: the unsent part was not copied.
    assert_eq!(Rc::strong_count(&test.poem), 3);
    let waiting = test.transport.buffered();
    assert!(
        waiting > 1 && waiting < test.poem.len(),
        "{waiting} bytes waiting"
    );
    // Hung up with bytes to send: watched for writing only.
    assert_eq!(test.reactor.writers().len(), 1);
    assert!(test.reactor.readers().is_empty());
    test.go.send(()).unwrap();
    run(&test.reactor);
    assert!(test.lost.get(), "the close should be Done");
    assert_eq!(
        Rc::strong_count(&test.poem),
        1,
        "the connection let the poem go"
    );
    test.client_gets_everything();
}

fn a_protocol_that_hangs_up_at_once_is_never_watched(backend: BackendKind) {
    let test = SharedWrite::open(backend, 1000);
    // All of it went at once, and the protocol hung up: there is nothing to
    // watch the socket for. The connection still closes, on the next turn.
    assert_eq!(test.transport.buffered(), 0);
    assert!(test.reactor.readers().is_empty() && test.reactor.writers().is_empty());
    assert!(
        test.transport.is_connected(),
        "closed before the reactor's turn"
    );
    run(&test.reactor);
    assert!(test.lost.get(), "the close should be Done");
    assert!(!test.transport.is_connected());
    test.client_gets_everything();
}

/// A protocol that does nothing at all.
struct Silent;

impl Protocol for Silent {
    fn connection_made(&mut self, _transport: Transport) {}
    fn data_received(&mut self, _data: &[u8]) {}
    fn connection_lost(&mut self, _reason: Disconnect) {}
}

fn dropping_the_reactor_closes_its_connections(backend: BackendKind) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    client.set_read_timeout(Some(LIMIT)).unwrap();
    let (socket, _) = listener.accept().unwrap();
    let reactor = reactor(backend);
    let transport = Connection::open(&reactor, socket, Box::new(Silent)).unwrap();
    assert!(transport.is_connected());
    // The reactor keeps the connection; the connection must not keep the
    // reactor, or the two would keep each other (and the socket) for ever.
    drop(reactor);
    assert!(!transport.is_connected());
    let mut byte = [0];
    let read = client.read(&mut byte);
    assert!(
        matches!(read, Ok(0)),
        "the client should see the connection closed: {read:?}"
    );
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        #[test]
        fn every_backend_is_tested() {
            assert_eq!(BackendKind::ALL, [BackendKind::Mio, BackendKind::Poll]);
        }
        mod epoll {
            $(#[test] fn $name() { super::$name(super::BackendKind::Mio) })*
        }
        mod poll {
            $(#[test] fn $name() { super::$name(super::BackendKind::Poll) })*
        }
    };
}

on_both_backends!(
    data_arrives_in_order_and_the_close_is_done,
    a_protocol_writes_and_the_peer_echoes,
    lose_connection_sends_everything_first,
    a_large_write_that_cannot_fit_arrives_whole,
    a_refused_connection_reaches_the_factory_through_the_reactor,
    a_peer_that_hangs_up_ends_the_protocol_with_done,
    an_accepted_socket_can_be_opened_too,
    a_shared_write_is_kept_by_reference_not_copied,
    a_protocol_that_hangs_up_at_once_is_never_watched,
    dropping_the_reactor_closes_its_connections,
);
