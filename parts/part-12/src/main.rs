//! The guided demo of part 12: `cargo run -p part-12`.
//!
//! A transformation server on our reactor, inside this process. First the
//! series' example request and its reply, over a plain socket; then a row
//! of clients that misbehave, one way each, while a silent one waits in
//! the background and a good one is served; then client 6.0's chain
//! against slow poetry servers, with the transformation server working,
//! refusing, and down; last, the tokio server giving the same replies.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};
use std::{cell::RefCell, io};

use clap::Parser;
use part_01::timeline::format_secs;
use part_02::cli;
use part_02::demo::{DemoArgs, closed_port};
use part_03::Reactor;
use part_06::{Countdown, Printer, Stream, Task};
use part_07::Failure;
use part_12::background::{ServerKind, spawn};
use part_12::{Event, ServerOptions, TransformProxy, Transforms, get_transformed_poetry};

/// Part 12 — A poetry transformation server: requests and replies as
/// netstrings, what the server does with clients that misbehave, client
/// 6.0's download-then-transform chain, and the same server on tokio.
#[derive(Debug, Parser)]
#[command(name = "part-12", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
    /// Milliseconds a client has to send its request.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..=10_000))]
    timeout_ms: u64,
}

/// What client 6.0's chain ends with, for one task.
type Outcome = Result<String, Failure>;

const EXAMPLE: &[u8] = b"27:cummingsify.HERE IS MY POEM,";

fn main() -> ExitCode {
    let args = Args::parse();
    match demo(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => cli::fail(problem),
    }
}

fn demo(args: &Args) -> Result<(), String> {
    let timeout = Duration::from_millis(args.timeout_ms);
    let options = ServerOptions {
        transforms: Transforms::standard(),
        max_length: 1000,
        timeout: Some(timeout),
    };
    let (server, events) =
        spawn(ServerKind::Reactor, options.clone()).map_err(|e| format!("cannot start: {e}"))?;
    let addr = server.addr();
    let mut log = Log {
        events,
        held: Vec::new(),
    };
    println!("Part 12 — A poetry transformation server");
    println!();
    println!(
        "A transformation server on our reactor, in this process, on {addr}: requests of up to {} bytes, {} to send one.",
        options.max_length,
        format_secs(timeout)
    );
    println!();
    println!("1. The series' example request, from a plain socket:");
    let reply = ask(addr, EXAMPLE).map_err(|e| format!("the example request: {e}"))?;
    println!("   sent     {}", show(EXAMPLE));
    println!("   received {}", show(&reply));
    println!("   the server: {}", log.next(None)?);

    println!();
    println!("2. Clients that misbehave. A silent one connects first and stays;");
    println!("   then each of these, one at a time, and then a good client:");
    let silent = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let silent_peer = silent.local_addr().map_err(|e| e.to_string())?;
    let silent_since = Instant::now();
    let bad: [&[u8]; 8] = [
        b"x5:hello,",
        b"12abc",
        b"5:hello;",
        b"99999999",
        b"5:hello,",
        b"10:shout.POEM,",
        b"14:cummingsify.\xff\xfe,",
        b"4:.abc,",
    ];
    for request in bad {
        let reply = ask(addr, request).map_err(|e| e.to_string())?;
        let answer = if reply.is_empty() {
            "no reply".to_string()
        } else {
            show(&reply)
        };
        println!("   {:<32} {answer}", show(request));
        println!("      the server: {}", log.next(Some(silent_peer))?);
    }
    let reply = ask(addr, EXAMPLE).map_err(|e| e.to_string())?;
    println!("   {:<32} {}", show(EXAMPLE), show(&reply));
    println!("      the server: {}", log.next(Some(silent_peer))?);
    let waited = silent_since.elapsed();
    println!(
        "   All that took {}; the silent client's time is up after {}.",
        format_secs(waited),
        format_secs(timeout)
    );
    let mut silent = silent;
    let mut rest = Vec::new();
    let _ = silent.read_to_end(&mut rest);
    println!(
        "   Then, with nothing received: the server: {}",
        log.about(silent_peer)?
            .split_once(": ")
            .map_or("", |(_, why)| why)
    );

    println!();
    println!("3. Client 6.0: download each poem, then have the server transform it.");
    let servers = args
        .demo
        .start()
        .map_err(|e| format!("cannot start: {e}"))?;
    servers.describe();
    let down = closed_port().map_err(|e| format!("cannot find a free port: {e}"))?;
    for (label, server, transform) in [
        ("The server up, asked to cummingsify", addr, "cummingsify"),
        ("The server asked for a transform it lacks", addr, "shout"),
        ("The server down", down, "cummingsify"),
    ] {
        println!();
        println!("   {label}:");
        for line in client_6(&servers, server, transform)? {
            println!("     {line}");
        }
        log.clear();
    }

    println!();
    println!("4. The same requests to the tokio server (the codec calls the same parser):");
    let (tokio_server, tokio_events) =
        spawn(ServerKind::Tokio, options).map_err(|e| format!("cannot start: {e}"))?;
    let tokio_addr = tokio_server.addr();
    let mut tokio_log = Log {
        events: tokio_events,
        held: Vec::new(),
    };
    for request in [EXAMPLE, b"5:hello;"] {
        let reply = ask(tokio_addr, request).map_err(|e| e.to_string())?;
        let answer = if reply.is_empty() {
            "no reply".to_string()
        } else {
            show(&reply)
        };
        println!("   {:<32} {answer}", show(request));
        println!("      the server: {}", tokio_log.next(None)?);
    }

    println!();
    println!("What to notice:");
    println!("- A netstring says how long it is, so the server knows where a request ends,");
    println!("  and can refuse one that is too long before it arrives.");
    println!("- Every bad client was closed with a reason, and none of them kept the good");
    println!("  client waiting; the silent one was closed by a timed call.");
    println!("- Client 6.0 keeps the original poem whenever the transform fails: a");
    println!("  callback that returns a deferred, with its own errback (part 13).");
    Ok(())
}

/// Sends `request` on a fresh connection and reads until the server
/// closes.
fn ask(addr: SocketAddr, request: &[u8]) -> io::Result<Vec<u8>> {
    let mut socket = TcpStream::connect(addr)?;
    socket.set_read_timeout(Some(Duration::from_secs(10)))?;
    socket.write_all(request)?;
    let mut reply = Vec::new();
    match socket.read_to_end(&mut reply) {
        Err(e) if e.kind() == io::ErrorKind::ConnectionReset => Ok(reply),
        other => other.map(|_| reply),
    }
}

/// Bytes as a reader can see them: text, with anything else escaped.
fn show(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// What a server in this process says, line by line.
struct Log {
    events: Receiver<Event>,
    /// Lines about a client that was being skipped, for later.
    held: Vec<(SocketAddr, String)>,
}

impl Log {
    /// The server's next line about a client other than `skip` (whose
    /// lines are held back), without the lines saying a client connected,
    /// and without the client's address.
    fn next(&mut self, skip: Option<SocketAddr>) -> Result<String, String> {
        loop {
            let event = self
                .events
                .recv_timeout(Duration::from_secs(15))
                .map_err(|_| "the server went quiet".to_string())?;
            let peer = match &event {
                Event::Accepted(_) => continue,
                Event::Transformed { peer, .. }
                | Event::Closed { peer, .. }
                | Event::HungUp(peer) => *peer,
            };
            let line = event.to_string();
            let line = line
                .strip_prefix(&format!("{peer}: "))
                .unwrap_or(&line)
                .to_string();
            if Some(peer) == skip {
                self.held.push((peer, line));
                continue;
            }
            return Ok(line);
        }
    }

    /// The next line about `peer`, held back or still to come.
    fn about(&mut self, peer: SocketAddr) -> Result<String, String> {
        if let Some(i) = self.held.iter().position(|(p, _)| *p == peer) {
            return Ok(self.held.remove(i).1);
        }
        self.next(None)
    }

    /// Forgets everything said so far.
    fn clear(&mut self) {
        while self.events.try_recv().is_ok() {}
        self.held.clear();
    }
}

/// Runs client 6.0's chain for every demo server with `transform` on the
/// transformation server at `server`; one summary line per task, in task
/// order, and each poem's first line.
fn client_6(
    servers: &part_02::demo::DemoServers,
    server: SocketAddr,
    transform: &str,
) -> Result<Vec<String>, String> {
    let reactor = Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))?;
    let heard: Rc<RefCell<Vec<(Stream, String)>>> = Rc::default();
    let keep = Rc::clone(&heard);
    let printer = Printer::new(move |stream, line| keep.borrow_mut().push((stream, line.into())));
    let tasks = Task::numbered(&servers.addresses(), &servers.sockets(), &printer);
    let proxy = TransformProxy::new(&reactor, server);
    let poems: Rc<RefCell<Vec<Option<Outcome>>>> =
        Rc::new(RefCell::new(tasks.iter().map(|_| None).collect()));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in &tasks {
        let (poems, number, done) = (Rc::clone(&poems), task.number, countdown.clone());
        let _ = get_transformed_poetry(&reactor, task, &proxy, transform).add_both(
            move |result: Result<String, Failure>| {
                poems.borrow_mut()[number - 1] = Some(result);
                done.one_done();
            },
        );
    }
    reactor
        .run()
        .map_err(|e| format!("the reactor failed: {e}"))?;
    let heard = heard.borrow();
    let mut lines = Vec::new();
    for (task, result) in tasks.iter().zip(poems.borrow_mut().drain(..)) {
        let prefix = format!("Task {}: ", task.number);
        let chunks = heard
            .iter()
            .filter(|(_, line)| {
                line.starts_with(&prefix) && line.contains(" bytes of poetry from ")
            })
            .count();
        let said = heard
            .iter()
            .filter(|(_, line)| {
                line.starts_with(&prefix) && !line.contains(" bytes of poetry from ")
            })
            .map(|(stream, line)| {
                let what = &line[prefix.len()..];
                match stream {
                    Stream::Out => what.to_string(),
                    Stream::Err => format!("{what} [stderr]"),
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        lines.push(format!(
            "{prefix}{chunks} chunks from {}; {said}",
            task.address
        ));
        match result {
            Some(Ok(poem)) => lines.push(format!(
                "  it begins: {}",
                poem.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
            )),
            Some(Err(failure)) => lines.push(format!("  no poem: {}", failure.message())),
            None => lines.push("  no outcome".to_string()),
        }
    }
    Ok(lines)
}
