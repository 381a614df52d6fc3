//! What this part's tests share: transformation servers on threads of
//! their own (on our reactor or on tokio), on free ports, telling the test
//! what they did; and a plain-socket client.

#![allow(dead_code)] // each test file uses some of these

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use part_02::ServerThread;
use part_12::{Event, ServerOptions};

pub use part_12::background::ServerKind as Kind;

/// A server of `kind` with `options`, on a thread of its own that runs
/// until the returned handle is dropped; the handle, and its events.
pub fn spawn(kind: Kind, options: ServerOptions) -> (ServerThread, Receiver<Event>) {
    part_12::background::spawn(kind, options).expect("the server starts")
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
