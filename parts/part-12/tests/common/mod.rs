//! What this part's tests share: transformation servers on threads of
//! their own (on our reactor or on tokio), on free ports, telling the test
//! what they did; and a plain-socket client.

#![allow(dead_code)] // each test file uses some of these

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use part_03::Reactor;
use part_11::listen_tcp;
use part_12::{Event, ServerOptions, TransformFactory, tokio_server};

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Ours: part 5's protocol on part 11's `listen_tcp`.
    Reactor,
    /// The tokio server with the codec.
    Tokio,
}

/// A server of `kind` with `options`, on a thread of its own that runs
/// until the test process ends; its address, and its events.
pub fn spawn(kind: Kind, options: ServerOptions) -> (SocketAddr, Receiver<Event>) {
    let (events, received) = mpsc::channel();
    let (addr_tx, addr_rx) = mpsc::channel();
    let report = move |event: Event| {
        let _ = events.send(event);
    };
    thread::spawn(move || match kind {
        Kind::Reactor => {
            let reactor = Reactor::new().expect("a reactor");
            let factory = TransformFactory::new(&reactor, options, report);
            let port = listen_tcp(&reactor, "127.0.0.1", 0, factory).expect("listen");
            addr_tx.send(port.local_addr()).expect("the test waits");
            reactor.run().expect("the reactor runs");
        }
        Kind::Tokio => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            addr_tx
                .send(listener.local_addr().expect("an address"))
                .expect("the test waits");
            tokio_server::serve(listener, options, report).expect("the runtime runs");
        }
    });
    let addr = addr_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the server starts");
    (addr, received)
}

/// Connects, with a time limit on reads so a broken server fails the test
/// rather than hangs it.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let socket = TcpStream::connect(addr).expect("connect");
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read time limit");
    socket
}

/// Everything the server sends until it closes. A reset (the server
/// closed with our bytes unread) counts as closing.
pub fn read_to_close(socket: &mut TcpStream) -> Vec<u8> {
    let mut reply = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        match socket.read(&mut buffer) {
            Ok(0) => return reply,
            Ok(n) => reply.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return reply,
            Err(e) => panic!("reading the reply: {e} (after {reply:?})"),
        }
    }
}

/// Sends `request` and returns the whole reply.
pub fn ask(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut socket = connect(addr);
    socket.write_all(request).expect("send");
    read_to_close(&mut socket)
}

/// The events of a server until `until` says it has seen enough, failing
/// the test if they stop coming.
pub fn events_until(
    events: &Receiver<Event>,
    mut until: impl FnMut(&[Event]) -> bool,
) -> Vec<Event> {
    let mut seen = Vec::new();
    while !until(&seen) {
        match events.recv_timeout(Duration::from_secs(10)) {
            Ok(event) => seen.push(event),
            Err(_) => panic!("the server went quiet; events so far: {seen:#?}"),
        }
    }
    seen
}
