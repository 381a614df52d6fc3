//! What this part's tests need beyond `part_02::testing`: an address where
//! nobody listens, a server that notices when its client hangs up, a server
//! that breaks the connection halfway, and tasks for a list of sockets.

#![allow(dead_code)] // each test file uses its own subset

use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use part_02::Address;
use part_02::testing::closed_port;
use part_06::{Printer, Stream, Task};

/// An address on 127.0.0.1 where nobody listens.
pub fn closed() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, closed_port()).into()
}

/// A server for one connection that sends `sent` bytes, never closes, and
/// reports on the returned channel, with the number of bytes it read,
/// when the client hangs up (its read sees the end of the stream).
pub fn watching_server(sent: usize) -> (SocketAddr, Receiver<usize>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind port 0");
    let addr = listener.local_addr().expect("a local address");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((mut socket, _)) = listener.accept() else {
            return;
        };
        let _ = socket.write_all(&vec![b'x'; sent]);
        // Wait for the client to hang up, but not forever.
        let _ = socket.set_read_timeout(Some(Duration::from_secs(20)));
        let mut sink = Vec::new();
        if socket.read_to_end(&mut sink).is_ok() {
            let _ = tx.send(sink.len());
        }
    });
    (addr, rx)
}

/// A server for one connection that sends `sent` bytes, waits a little
/// (so the client reads them), then resets the connection.
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

/// Tasks for `sockets`, numbered from 1, printing to `printer`.
pub fn tasks(sockets: &[SocketAddr], printer: &Printer) -> Vec<Task> {
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();
    Task::numbered(&addresses, sockets, printer)
}

/// Tasks for `sockets` that print nothing.
pub fn silent_tasks(sockets: &[SocketAddr]) -> Vec<Task> {
    tasks(sockets, &Printer::new(|_, _| {}))
}

/// The total of the chunk sizes a printer was given for task `task`.
pub fn chunk_total(lines: &Lines, task: usize) -> usize {
    let prefix = format!("Task {task}: got ");
    lines
        .borrow()
        .iter()
        .filter_map(|(_, line)| line.strip_prefix(&prefix))
        .map(|rest| {
            let bytes = rest.split(' ').next().unwrap_or_default();
            bytes.parse::<usize>().expect("a byte count")
        })
        .sum()
}
