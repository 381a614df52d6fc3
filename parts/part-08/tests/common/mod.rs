//! What this part's tests need beyond `testkit` (whose helpers are
//! re-exported here): a server that
//! notices when its client hangs up, silent tasks, and chunk totals.

#![allow(dead_code)] // each test file uses its own subset

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use part_06::{Printer, Task};
pub use testkit::*;

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
