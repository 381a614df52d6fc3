//! For the tests of part 6 and the parts built on it: an address where
//! nobody listens, a server that breaks the connection halfway, a printer
//! that keeps its lines, tasks for a list of sockets, and a reactor run
//! under a time limit.

use std::cell::RefCell;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::rc::Rc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use part_02::Address;
use part_03::Reactor;
use part_06::{Printer, Stream, Task};

/// An address on 127.0.0.1 where nobody listens (see
/// [`part_02::demo::closed_port`]).
pub fn closed() -> SocketAddr {
    part_02::demo::closed_port().expect("a free port")
}

/// A server for one connection that sends `sent` bytes, waits a little
/// (so the client reads them), then resets the connection: the client's
/// next read fails with `ConnectionReset`.
pub fn breaking_server(sent: usize) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind port 0");
    let addr = listener.local_addr().expect("a local address");
    let thread = thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("a client");
        socket.write_all(&vec![b'x'; sent]).expect("write");
        thread::sleep(Duration::from_millis(150));
        // With a zero linger time, closing sends a reset instead of a FIN.
        let socket = tokio::net::TcpSocket::from_std_stream(socket);
        socket.set_zero_linger().expect("linger");
        drop(socket);
    });
    (addr, thread)
}

/// Every line a printer was given, with its stream.
pub type Lines = Rc<RefCell<Vec<(Stream, String)>>>;

/// A printer that keeps its lines.
pub fn keeping_printer() -> (Printer, Lines) {
    let lines: Lines = Rc::default();
    let kept = Rc::clone(&lines);
    let printer =
        Printer::new(move |stream, line| kept.borrow_mut().push((stream, line.to_string())));
    (printer, lines)
}

/// The lines a printer kept on `stream`.
pub fn on(lines: &Lines, stream: Stream) -> Vec<String> {
    lines
        .borrow()
        .iter()
        .filter(|(s, _)| *s == stream)
        .map(|(_, line)| line.clone())
        .collect()
}

/// Tasks for `sockets`, numbered from 1, printing to `printer`.
pub fn tasks(sockets: &[SocketAddr], printer: &Printer) -> Vec<Task> {
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();
    Task::numbered(&addresses, sockets, printer)
}

/// Runs `reactor` until something stops it, failing the test if nothing
/// has within `limit` (a timed call stops it then, so a test that would
/// hang fails instead). The timed call is cancelled once the run is over.
pub fn run_within(reactor: &Reactor, limit: Duration) {
    let handle = reactor.clone();
    let guard = reactor.call_later(limit, move || handle.stop());
    reactor.run().expect("the reactor runs");
    // Still to come: something else stopped the reactor in time.
    assert!(
        guard.active(),
        "the reactor was not stopped within {limit:?}"
    );
    let _ = guard.cancel();
}
