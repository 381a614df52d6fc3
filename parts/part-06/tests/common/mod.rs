//! What this part's integration tests share: running a program with a time
//! limit, slow servers on free ports, a port where nobody listens, a
//! server that breaks the connection, and a printer that keeps its lines.

#![allow(dead_code)] // each test file uses its own subset

use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, ExitStatus, Stdio};
use std::rc::Rc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use part_02::{Address, ServerOptions, SlowServer, demo_poems};
use part_06::{Printer, Stream, Task};

/// How long any program may run in a test before the test fails.
pub const LIMIT: Duration = Duration::from_secs(30);

/// What a finished program printed, how it exited, and how long it took.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// Runs `program` with `args` to the end, failing the test if it has not
/// ended after [`LIMIT`].
pub fn run(program: &str, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    // Drain both pipes on threads, so a talkative program never blocks.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).map(|_| text)
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")));
    let err = drain(Box::new(child.stderr.take().expect("piped")));
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{program} {args:?} was still running after {LIMIT:?}");
        }
        thread::sleep(Duration::from_millis(5));
    };
    Run {
        status,
        stdout: out.join().expect("reader").expect("stdout is UTF-8"),
        stderr: err.join().expect("reader").expect("stderr is UTF-8"),
        took: start.elapsed(),
    }
}

/// `count` slow servers serving the demo poems in chunks of `num_bytes`
/// every `delay_ms`, each with the poem it serves.
pub fn servers(count: usize, num_bytes: usize, delay_ms: u64) -> Vec<(SlowServer, &'static [u8])> {
    let options = ServerOptions {
        num_bytes,
        delay: Duration::from_millis(delay_ms),
    };
    demo_poems(count)
        .into_iter()
        .map(|(_, poem)| (SlowServer::spawn(poem, options).expect("a server"), poem))
        .collect()
}

/// The port of each server, as a command-line address.
pub fn ports(servers: &[(SlowServer, &[u8])]) -> Vec<String> {
    servers
        .iter()
        .map(|(server, _)| server.addr().port().to_string())
        .collect()
}

/// An address on 127.0.0.1 where nobody listens: bound, then let go.
pub fn closed() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}

/// A server for one connection that sends `sent` bytes, waits a little
/// (so the client reads them), then resets the connection: the client's
/// next read fails with `ConnectionReset`.
pub fn breaking_server(sent: usize) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    let thread = thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("accept");
        socket.write_all(&vec![b'x'; sent]).expect("write");
        thread::sleep(Duration::from_millis(150));
        // A zero linger time makes closing send a reset instead of a FIN.
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

/// `… in 1.234s` with the time replaced by `in T`, so runs compare.
pub fn without_time(line: &str) -> String {
    match line.rsplit_once(" in ") {
        Some((head, time))
            if time
                .strip_suffix('s')
                .is_some_and(|t| t.parse::<f64>().is_ok()) =>
        {
            format!("{head} in T")
        }
        _ => line.to_string(),
    }
}
