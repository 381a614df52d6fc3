//! # The *servers* benchmark: the fast poetry server six ways
//!
//! **The claims (part 11).** One thread with a reactor serves as many
//! clients as a thread per client does, and more; our reactor serves them
//! about as fast as tokio's current-thread runtime (the issue asks for
//! within 20%). This benchmark measures poems served per second and the
//! memory each open connection costs, for the fast poetry server (the whole
//! poem at once, then close) built six ways:
//!
//! | id | the server |
//! |---|---|
//! | `epoll` | part 11's `FastPoetryFactory` on part 3's reactor, `epoll` backend (through `mio`) |
//! | `poll` | the same on the `poll(2)` backend |
//! | `tokio-ct` | part 11's `tokio_server::serve`: tokio's current-thread runtime, a task per connection |
//! | `tokio-mt` | the same accept loop on tokio's multi-thread runtime, 2 workers |
//! | `threads` | `std` only: blocking accept, one thread per accepted connection |
//! | `async` | part 17's `fastpoetry-async`: `async`/`await` on our own runtime (part 3's reactor, `epoll`), a task per connection |
//!
//! **Where the server runs.** Each server runs in a child process: the
//! benchmark starts its own executable again with `SERVERS_BENCH_CHILD` set,
//! and the child raises its file limit (part 11's `raise_file_limit`),
//! listens on a free port of 127.0.0.1 (backlog 4,096), prints the port and
//! serves until its parent closes its standard input. The parent is the
//! load generator. Two reasons: 10,000 clients on loopback are 20,000
//! descriptors, which do not fit in one process under a hard limit of
//! 20,000 open files (common, and the limit of the machine the numbers in
//! the book come from); and a child's resident memory is the server's
//! alone, which is what the memory figures need.
//!
//! **Poems per second** (group `servers`). For C in 1, 100 and 10,000, the
//! load generator (non-blocking sockets on one `mio::Poll`) keeps C
//! connections in flight: it opens C, and each time one ends it checks the
//! bytes against the poem (Rilke's `panther.txt`, 573 bytes, the shortest)
//! and opens another, until max(1,000, C) downloads are complete. That is
//! one iteration; criterion reports its time, and its throughput in poems
//! per second. A wrong byte, a short poem or an error stops the benchmark
//! instead of being timed; so does an iteration that takes over a minute.
//!
//! **Paired rounds** (the verdict). Criterion measures one server after the
//! other, and on a shared two-core machine a slow few seconds can fall on
//! one of them and not the other. So, for each C, the program then starts
//! our reactor (epoll) and tokio current-thread together and runs 15
//! rounds (and again for part 17's `async` server against tokio
//! current-thread); each round times one iteration on each, in alternating order.
//! The ratio of their rates in each round (tokio's time over ours) is a
//! comparison under the same conditions; the median of the 15 decides
//! whether our reactor is within 20% of tokio current-thread, and the
//! middle half of them shows how far the rounds agree.
//!
//! **Memory per connection.** For each server, a fresh child serving a long
//! poem (`ecstasy.txt` repeated to 64 KiB) with a small send buffer
//! (4 KiB, set on the listening socket, so every accepted socket has it);
//! after 200 ordinary downloads to warm it up, its resident memory
//! (`VmRSS` in `/proc/<pid>/status`) is read with no connection open. Then
//! the parent opens C = 10,000 clients with small receive buffers that never
//! read: the kernel takes a few KiB of the poem, and every server is left
//! holding every connection open, waiting to write the rest. Once every
//! client has its first bytes (so every connection was accepted), the
//! child's `VmRSS` is read again; the difference divided by C is the memory
//! per connection. This is the state a slow client costs a server: a
//! reactor's connection and protocol, whose write buffer holds a reference
//! to the unsent part of the poem (part 5's `write_shared`); a tokio task
//! and its socket (`write_all` borrows the shared poem too); a thread's
//! stack. To show what sharing saves, the program also measures how much
//! of the poem the kernel takes for one such connection (it writes to one
//! itself until the socket takes no more): the rest is what a server that
//! copied it (part 5's plain `write`) would hold per connection.
//!
//! Criterion takes 10 samples of each (flat sampling), after a 0.3 s
//! warm-up, over at least 1 s. Afterwards the program reads the means
//! criterion wrote in this run (`benches::estimates`) and prints: poems per
//! second for each server and C, the ratio of each to tokio current-thread,
//! each one's growth from C = 1 to C = 10,000, the paired rounds and their
//! verdict, and the memory per connection. A C that
//! does not fit under the file limit is skipped, and the output says so.
//! `cargo test -p benches --benches` runs each measurement once (memory at
//! C = 100; one paired round) and prints no table. With
//! `SERVERS_BENCH_EXTRAS=0` in the environment, only criterion's rates are
//! measured (for quick runs of a few of them).
//!
//! **Run it** (about a minute and a half on two cores, after the build):
//!
//! ```sh
//! cargo bench -p benches --bench servers
//! ```

use std::env;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{self, Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use benches::estimates::{self, Estimates, ratio};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use part_03::{BackendKind, Clock, Reactor};
use part_11::{ACCEPT_PAUSE, FastPoetryFactory, listen_on};
use tokio::io::AsyncWriteExt;

/// The benchmark group, and the folder criterion writes its estimates to.
const GROUP: &str = "servers";

/// How many clients are in flight at once.
const CLIENTS: [usize; 3] = [1, 100, 10_000];

/// How many clients hold a connection open for the memory measurement.
const HELD: usize = 10_000;

/// The same, in test mode (`cargo test --benches`): a quick check only.
const HELD_IN_TEST: usize = 100;

/// Descriptors each process needs besides its sockets.
const SPARE_FDS: usize = 100;

/// The listening socket's backlog (the kernel caps it at
/// `net.core.somaxconn`, 4,096 by default).
const BACKLOG: u32 = 4096;

/// The stalling poem's length.
const LONG_POEM: usize = 64 * 1024;

/// The send buffer of the stalling server's sockets, and the receive buffer
/// of the clients that never read (the kernel doubles both).
const SMALL_BUFFER: u32 = 4096;

/// Downloads before the memory baseline is read.
const WARM_UP_DOWNLOADS: usize = 200;

/// The longest an iteration, or the memory setup, may take.
const DEADLINE: Duration = Duration::from_secs(60);

/// Samples per benchmark (criterion's minimum).
const SAMPLES: usize = 10;

/// Warm-up time per benchmark.
const WARM_UP: Duration = Duration::from_millis(300);

/// The shortest measurement time per benchmark.
const MEASUREMENT: Duration = Duration::from_secs(1);

/// The environment variable that leaves out the paired rounds and the
/// memory measurement (`0`): criterion's rates only.
const EXTRAS: &str = "SERVERS_BENCH_EXTRAS";

/// Rounds of the paired comparison (odd, for a plain median).
const ROUNDS: usize = 15;

/// The environment variable that makes this program a server: `<id> <mode>`.
const CHILD: &str = "SERVERS_BENCH_CHILD";

/// Downloads per iteration with `clients` in flight.
fn downloads(clients: usize) -> usize {
    clients.max(1000)
}

// --- The servers -------------------------------------------------------------

/// The six ways to build the fast poetry server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Epoll,
    Poll,
    TokioCurrent,
    TokioMulti,
    Threads,
    Async,
}

const KINDS: [Kind; 6] = [
    Kind::Epoll,
    Kind::Poll,
    Kind::TokioCurrent,
    Kind::TokioMulti,
    Kind::Threads,
    Kind::Async,
];

impl Kind {
    /// Its name in benchmark ids.
    fn id(self) -> &'static str {
        match self {
            Kind::Epoll => "epoll",
            Kind::Poll => "poll",
            Kind::TokioCurrent => "tokio-ct",
            Kind::TokioMulti => "tokio-mt",
            Kind::Threads => "threads",
            Kind::Async => "async",
        }
    }

    /// Its name in the tables.
    fn name(self) -> &'static str {
        match self {
            Kind::Epoll => "reactor epoll",
            Kind::Poll => "reactor poll",
            Kind::TokioCurrent => "tokio 1 thread",
            Kind::TokioMulti => "tokio 2 workers",
            Kind::Threads => "thread/conn",
            Kind::Async => "async/await (ours)",
        }
    }

    fn from_id(id: &str) -> Option<Kind> {
        KINDS.into_iter().find(|kind| kind.id() == id)
    }

    /// Serves `poem` to every client of `listener`, forever.
    fn serve(self, listener: TcpListener, poem: Vec<u8>) -> io::Result<()> {
        match self {
            Kind::Epoll => serve_reactor(BackendKind::Mio, listener, poem),
            Kind::Poll => serve_reactor(BackendKind::Poll, listener, poem),
            Kind::TokioCurrent => {
                part_11::tokio_server::serve(listener, poem, part_11::report::quiet)
            }
            Kind::TokioMulti => serve_tokio_multi(listener, poem),
            Kind::Threads => serve_threads(listener, poem),
            Kind::Async => part_17::fast::serve(listener, poem, part_11::report::quiet),
        }
    }
}

/// Part 11's fast poetry server on part 3's reactor.
fn serve_reactor(backend: BackendKind, listener: TcpListener, poem: Vec<u8>) -> io::Result<()> {
    let reactor = Reactor::with(backend, Clock::real())?;
    let factory = FastPoetryFactory::new(poem, part_11::report::quiet);
    let _port = listen_on(&reactor, listener, factory)?;
    reactor.run().map_err(io::Error::other)
}

/// Part 11's tokio server, on the multi-thread runtime with two workers:
/// the accept loop is a task too, so everything runs on the workers.
fn serve_tokio_multi(listener: TcpListener, poem: Vec<u8>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let poem: Arc<[u8]> = poem.into();
    listener.set_nonblocking(true)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let accepting = tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((mut socket, _)) => {
                        let poem = Arc::clone(&poem);
                        tokio::spawn(async move {
                            let _ = socket.set_nodelay(true);
                            if socket.write_all(&poem).await.is_ok() {
                                let _ = socket.shutdown().await;
                            }
                        });
                    }
                    Err(error) => {
                        eprintln!("cannot accept a connection: {error}");
                        tokio::time::sleep(ACCEPT_PAUSE).await;
                    }
                }
            }
        });
        accepting.await.map_err(io::Error::other)
    })
}

/// Blocking accept, one thread per connection: write the poem, close.
fn serve_threads(listener: TcpListener, poem: Vec<u8>) -> io::Result<()> {
    listener.set_nonblocking(false)?;
    let poem: Arc<[u8]> = poem.into();
    loop {
        match listener.accept() {
            Ok((mut socket, _)) => {
                let poem = Arc::clone(&poem);
                let spawned = thread::Builder::new().spawn(move || {
                    let _ = socket.set_nodelay(true);
                    let _ = socket.write_all(&poem);
                });
                if let Err(error) = spawned {
                    eprintln!("cannot start a thread for a connection: {error}");
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => {}
            Err(error) => {
                eprintln!("cannot accept a connection: {error}");
                thread::sleep(ACCEPT_PAUSE);
            }
        }
    }
}

/// What a child server is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// The short poem, as fast as it goes.
    Fast,
    /// The long poem and a small send buffer: a client that does not read
    /// keeps its connection open.
    Stall,
}

impl Mode {
    fn id(self) -> &'static str {
        match self {
            Mode::Fast => "fast",
            Mode::Stall => "stall",
        }
    }

    fn poem(self) -> io::Result<Vec<u8>> {
        match self {
            Mode::Fast => short_poem(),
            Mode::Stall => long_poem(),
        }
    }
}

fn poem_path(name: &str) -> String {
    format!("{}/../poetry/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The throughput poem: Rilke's panther, the shortest of the four.
fn short_poem() -> io::Result<Vec<u8>> {
    fs::read(poem_path("panther.txt"))
}

/// The stalling poem: Donne repeated to [`LONG_POEM`] bytes.
fn long_poem() -> io::Result<Vec<u8>> {
    let donne = fs::read(poem_path("ecstasy.txt"))?;
    Ok(donne.iter().copied().cycle().take(LONG_POEM).collect())
}

/// A listening socket on a free port of 127.0.0.1 with a backlog of
/// [`BACKLOG`], and a small send buffer if asked (accepted sockets inherit
/// it). Built with tokio's `TcpSocket`, which can set both, inside a
/// throwaway runtime, and handed back as a `std` listener.
fn listener(small_send_buffer: bool) -> io::Result<TcpListener> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let _inside = runtime.enter();
    let socket = tokio::net::TcpSocket::new_v4()?;
    if small_send_buffer {
        socket.set_send_buffer_size(SMALL_BUFFER)?;
    }
    socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    socket.listen(BACKLOG)?.into_std()
}

/// The child's side: serve until the parent closes our standard input.
fn child(spec: &str) -> io::Result<()> {
    let (kind, mode) = match spec.split_once(' ') {
        Some((kind, mode)) => (Kind::from_id(kind), mode),
        None => (None, ""),
    };
    let kind = kind.ok_or_else(|| io::Error::other(format!("no such server: {spec:?}")))?;
    let mode = match mode {
        "fast" => Mode::Fast,
        "stall" => Mode::Stall,
        other => return Err(io::Error::other(format!("no such mode: {other:?}"))),
    };
    part_11::raise_file_limit()?;
    let poem = mode.poem()?;
    let listener = listener(mode == Mode::Stall)?;
    let mut stdout = io::stdout();
    writeln!(stdout, "{}", listener.local_addr()?.port())?;
    stdout.flush()?;
    thread::spawn(|| {
        let _ = io::copy(&mut io::stdin(), &mut io::sink());
        process::exit(0);
    });
    kind.serve(listener, poem)
}

/// A server in a child process, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(kind: Kind, mode: Mode) -> io::Result<Server> {
        let mut child = Command::new(env::current_exe()?)
            .env(CHILD, format!("{} {}", kind.id(), mode.id()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout).read_line(&mut line)?;
        }
        match line.trim().parse::<u16>() {
            Ok(port) => Ok(Server {
                child,
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
            }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(io::Error::other(format!(
                    "the {} server did not start (it said {line:?})",
                    kind.name()
                )))
            }
        }
    }

    /// A line of the child's `/proc/<pid>/status`, in KiB.
    fn status_kib(&self, field: &str) -> io::Result<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|value| value.trim().strip_suffix("kB")?.trim().parse().ok())
            .ok_or_else(|| {
                io::Error::other(format!("no {field} in /proc/{}/status", self.child.id()))
            })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- The load generator --------------------------------------------------------

/// One client slot: its socket, and how much of the poem has arrived.
struct Slot {
    socket: Option<TcpStream>,
    got: usize,
}

/// Completes `total` downloads from `addr`, `clients` in flight at once,
/// checking every byte against `poem`; returns how long they took. Panics
/// on a wrong byte, a short poem, an error, or after [`DEADLINE`].
fn download(addr: SocketAddr, poem: &[u8], clients: usize, total: usize) -> Duration {
    let fail = |what: String| -> ! { panic!("servers: {what}") };
    let started = Instant::now();
    let mut poll = Poll::new().unwrap_or_else(|e| fail(format!("no poll: {e}")));
    let mut events = Events::with_capacity(1024);
    let mut slots: Vec<Slot> = Vec::with_capacity(clients);
    let connect = |poll: &Poll, slot: usize| -> TcpStream {
        let mut socket = TcpStream::connect(addr)
            .unwrap_or_else(|e| fail(format!("client {slot} cannot connect to {addr}: {e}")));
        poll.registry()
            .register(&mut socket, Token(slot), Interest::READABLE)
            .unwrap_or_else(|e| fail(format!("cannot watch client {slot}: {e}")));
        socket
    };
    let mut opened = 0;
    for slot in 0..clients.min(total) {
        slots.push(Slot {
            socket: Some(connect(&poll, slot)),
            got: 0,
        });
        opened += 1;
    }
    let mut done = 0;
    let mut buffer = vec![0; 64 * 1024];
    while done < total {
        if started.elapsed() > DEADLINE {
            fail(format!(
                "after {DEADLINE:?}, only {done} of {total} downloads ({clients} at a time) were complete"
            ));
        }
        poll.poll(&mut events, Some(Duration::from_millis(100)))
            .unwrap_or_else(|e| fail(format!("poll failed: {e}")));
        for event in events.iter() {
            let index = event.token().0;
            let slot = &mut slots[index];
            let Some(socket) = slot.socket.as_mut() else {
                continue;
            };
            loop {
                match socket.read(&mut buffer) {
                    Ok(0) => {
                        if slot.got != poem.len() {
                            fail(format!(
                                "a client got {} of the poem's {} bytes",
                                slot.got,
                                poem.len()
                            ));
                        }
                        if let Some(mut socket) = slot.socket.take() {
                            let _ = poll.registry().deregister(&mut socket);
                        }
                        done += 1;
                        slot.got = 0;
                        if opened < total {
                            slot.socket = Some(connect(&poll, index));
                            opened += 1;
                        }
                        break;
                    }
                    Ok(n) => {
                        if poem.get(slot.got..slot.got + n) != Some(&buffer[..n]) {
                            fail(format!("a client got wrong bytes at offset {}", slot.got));
                        }
                        slot.got += n;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    // Still connecting.
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => break,
                    Err(e) => fail(format!("a client failed after {} bytes: {e}", slot.got)),
                }
            }
        }
    }
    started.elapsed()
}

// --- Poems per second -------------------------------------------------------------

/// The open-file limit, after raising it.
fn file_limit() -> usize {
    match part_11::raise_file_limit() {
        Ok(limit) => usize::try_from(limit.soft).unwrap_or(usize::MAX),
        Err(error) => {
            eprintln!("servers: cannot raise the limit on open files: {error}");
            1024
        }
    }
}

/// Whether `clients` connections fit under the limit (in each process: the
/// parent holds the clients' ends, the child the server's).
fn fits(clients: usize, limit: usize) -> bool {
    clients + SPARE_FDS <= limit
}

/// The criterion group: for each server and C, start the server, measure,
/// stop it.
fn throughput(criterion: &mut Criterion, limit: usize, poem: &[u8]) {
    let mut group = criterion.benchmark_group(GROUP);
    group
        .sample_size(SAMPLES)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT);
    for clients in CLIENTS {
        if !fits(clients, limit) {
            eprintln!(
                "servers: the limit on open files is {limit}, too low for {clients} clients \
                 (they need {} in each process): C = {clients} is skipped",
                clients + SPARE_FDS
            );
            continue;
        }
        let total = downloads(clients);
        group.throughput(Throughput::Elements(total as u64));
        for kind in KINDS {
            let server =
                Server::start(kind, Mode::Fast).unwrap_or_else(|error| panic!("servers: {error}"));
            let addr = server.addr;
            group.bench_function(BenchmarkId::new(kind.id(), clients), |b| {
                b.iter_custom(|iters| {
                    (0..iters)
                        .map(|_| download(addr, poem, clients, total))
                        .sum()
                })
            });
            drop(server);
        }
    }
    group.finish();
}

// --- Memory per connection ------------------------------------------------------

/// What one server's memory measurement found, in KiB.
struct Memory {
    idle: u64,
    held: u64,
    peak: u64,
}

/// Opens `count` clients to `addr` with small receive buffers, and returns
/// their sockets once every one has its first bytes (so every connection
/// was accepted). They never read.
fn hold(addr: SocketAddr, count: usize) -> io::Result<Vec<std::net::TcpStream>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let mut held = Vec::with_capacity(count);
    runtime.block_on(async {
        // In batches, so that the server's listen queue never overflows.
        while held.len() < count {
            let batch = (count - held.len()).min(500);
            let connecting = (0..batch).map(|_| async {
                let socket = tokio::net::TcpSocket::new_v4()?;
                socket.set_recv_buffer_size(SMALL_BUFFER)?;
                socket.connect(addr).await?.into_std()
            });
            for socket in futures::future::join_all(connecting).await {
                held.push(socket?);
            }
        }
        Ok::<(), io::Error>(())
    })?;
    let started = Instant::now();
    let mut waiting: Vec<&std::net::TcpStream> = held.iter().collect();
    while !waiting.is_empty() {
        if started.elapsed() > DEADLINE {
            return Err(io::Error::other(format!(
                "after {DEADLINE:?}, {} of {count} clients have received nothing",
                waiting.len()
            )));
        }
        let mut byte = [0];
        let mut still = Vec::new();
        for socket in waiting {
            socket.set_nonblocking(true)?;
            match socket.peek(&mut byte) {
                Ok(0) => return Err(io::Error::other("the server closed a held connection")),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => still.push(socket),
                Err(e) => return Err(e),
            }
        }
        waiting = still;
        if !waiting.is_empty() {
            thread::sleep(Duration::from_millis(10));
        }
    }
    Ok(held)
}

/// How many bytes of the long poem the kernel takes for one held
/// connection (the server's small send buffer plus the client's small
/// receive buffer): a server of our own writes to one such client until
/// the socket takes no more. The rest of the poem is what a server is left
/// holding.
fn kernel_takes() -> io::Result<usize> {
    let listener = listener(true)?;
    let addr = listener.local_addr()?;
    let client = hold_unaccepted(addr)?;
    let (mut socket, _) = listener.accept()?;
    socket.set_nonblocking(true)?;
    let poem = long_poem()?;
    let mut sent = 0;
    let mut idle_rounds = 0;
    // Loopback moves data at once, but the window may open a little later:
    // stop after three tries in a row that add nothing.
    while idle_rounds < 3 && sent < poem.len() {
        match socket.write(&poem[sent..]) {
            Ok(n) => {
                sent += n;
                idle_rounds = 0;
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                idle_rounds += 1;
                thread::sleep(Duration::from_millis(20));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    drop(client);
    Ok(sent)
}

/// One client with a small receive buffer, connected to `addr`.
fn hold_unaccepted(addr: SocketAddr) -> io::Result<std::net::TcpStream> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.set_recv_buffer_size(SMALL_BUFFER)?;
        socket.connect(addr).await?.into_std()
    })
}

/// Measures one server's resident memory with no connection, then with
/// `count` held open.
fn memory(kind: Kind, count: usize) -> io::Result<Memory> {
    let server = Server::start(kind, Mode::Stall)?;
    let poem = long_poem()?;
    download(server.addr, &poem, 10, WARM_UP_DOWNLOADS);
    let idle = server.status_kib("VmRSS")?;
    let clients = hold(server.addr, count)?;
    let held = server.status_kib("VmRSS")?;
    let peak = server.status_kib("VmHWM")?;
    drop(clients);
    Ok(Memory { idle, held, peak })
}

// --- Paired rounds ----------------------------------------------------------------

/// One of our servers' rate over tokio current-thread's, round by round,
/// for one C.
struct Paired {
    ours: Kind,
    clients: usize,
    /// Sorted.
    ratios: Vec<f64>,
}

/// Runs our reactor (epoll) and tokio current-thread side by side: both
/// servers start, and each round times one iteration on each, in
/// alternating order. A slow patch of the machine then falls on both alike,
/// where criterion, which measures one server after the other, can give it
/// all to one of them.
fn paired(ours_kind: Kind, limit: usize, poem: &[u8], rounds: usize) -> Vec<Paired> {
    let start = |kind| Server::start(kind, Mode::Fast).unwrap_or_else(|e| panic!("servers: {e}"));
    CLIENTS
        .into_iter()
        .filter(|&clients| fits(clients, limit))
        .map(|clients| {
            let (ours, theirs) = (start(ours_kind), start(Kind::TokioCurrent));
            let total = downloads(clients);
            let time = |server: &Server| download(server.addr, poem, clients, total);
            // One iteration each to warm up, not counted.
            time(&ours);
            time(&theirs);
            let mut ratios: Vec<f64> = (0..rounds)
                .map(|round| {
                    let (a, b) = if round % 2 == 0 {
                        let a = time(&ours);
                        (a, time(&theirs))
                    } else {
                        let b = time(&theirs);
                        (time(&ours), b)
                    };
                    // Rate over rate: the same downloads, so time over time.
                    b.as_secs_f64() / a.as_secs_f64()
                })
                .collect();
            ratios.sort_by(f64::total_cmp);
            Paired {
                ours: ours_kind,
                clients,
                ratios,
            }
        })
        .collect()
}

fn print_paired(paired: &[Paired]) {
    let Some(first) = paired.first() else {
        return;
    };
    println!();
    println!(
        "paired rounds: each of ours against tokio current-thread, both running, one \
         iteration each per round, in alternating order, {} rounds",
        first.ratios.len()
    );
    println!(
        "(their rate over tokio's, each round; the middle half of the rounds lies in the range)"
    );
    println!();
    println!(
        "{:<20}  {:>7}  {:>8}  {:>13}  verdict",
        "ours", "C", "median", "middle half"
    );
    for p in paired {
        let n = p.ratios.len();
        let (low, median, high) = (p.ratios[n / 4], p.ratios[n / 2], p.ratios[(3 * n) / 4]);
        let verdict = if median >= 0.8 {
            "within 20% of tokio current-thread"
        } else {
            "NOT within 20% of tokio current-thread"
        };
        println!(
            "{:<20}  {:>7}  {median:>8.3}  {low:>5.3}–{high:<5.3}    {verdict}",
            p.ours.name(),
            p.clients
        );
    }
}

// --- The tables -----------------------------------------------------------------

/// Poems per second from a mean iteration time.
fn per_second(clients: usize, ns: Option<f64>) -> Option<f64> {
    ns.map(|ns| downloads(clients) as f64 / (ns / 1e9))
}

fn rate(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.0}"))
}

fn print_tables(
    estimates: &Estimates,
    limit: usize,
    poem: &[u8],
    paired: &[Paired],
    memory: &[(Kind, io::Result<Memory>)],
    held: usize,
) {
    let rates: Vec<(usize, Vec<Option<f64>>)> = CLIENTS
        .iter()
        .map(|&c| {
            let row = KINDS
                .iter()
                .map(|kind| per_second(c, estimates.mean_ns(GROUP, kind.id(), c)))
                .collect();
            (c, row)
        })
        .collect();
    if rates.iter().all(|(_, row)| row.iter().all(Option::is_none)) {
        eprintln!(
            "servers: no estimates were written in this run under {} (a filter?), so no table of rates",
            estimates.home().display()
        );
    } else {
        let home = estimates.home().display();
        let header = |first: &str| {
            let mut line = format!("{first:>7}");
            for kind in KINDS {
                line.push_str(&format!("  {:>15}", kind.name()));
            }
            line
        };
        let row = |label: String, cells: Vec<String>| {
            let mut line = format!("{label:>7}");
            for cell in cells {
                line.push_str(&format!("  {cell:>15}"));
            }
            line
        };
        println!();
        println!(
            "servers: poems served per second (panther.txt, {} bytes; max(1000, C) downloads, C clients in flight)",
            poem.len()
        );
        println!("from {home}/{GROUP}/<server>/<C>/new/estimates.json");
        println!();
        println!("{}", header("C"));
        for (c, values) in &rates {
            if fits(*c, limit) {
                println!(
                    "{}",
                    row(c.to_string(), values.iter().map(|v| rate(*v)).collect())
                );
            } else {
                println!(
                    "{c:>7}  skipped: the limit on open files is {limit}, {} needed",
                    c + SPARE_FDS
                );
            }
        }
        println!();
        println!("ratio to tokio current-thread (poems/s; above 1 is faster):");
        println!("{}", header("C"));
        let base = KINDS
            .iter()
            .position(|&k| k == Kind::TokioCurrent)
            .unwrap_or(0);
        for (c, values) in &rates {
            let cells = values.iter().map(|v| ratio(*v, values[base])).collect();
            println!("{}", row(c.to_string(), cells));
        }
        let (first, last) = (&rates[0], &rates[rates.len() - 1]);
        println!();
        println!(
            "growth from C = {} to C = {} (poems/s at {} / at {}):",
            first.0, last.0, last.0, first.0
        );
        let cells = (0..KINDS.len())
            .map(|i| match (last.1[i], first.1[i]) {
                (Some(a), Some(b)) => format!("×{:.2}", a / b),
                _ => "-".to_string(),
            })
            .collect();
        println!("{}", row(String::new(), cells));
    }

    print_paired(paired);

    if memory.is_empty() {
        return;
    }
    println!();
    println!(
        "servers: memory per connection, {held} clients holding a connection open that they never read \
         ({LONG_POEM} byte poem, small socket buffers)"
    );
    println!("(the server's VmRSS with them minus with none, divided by {held})");
    println!();
    println!(
        "{:<16}  {:>12}  {:>14}  {:>12}  {:>14}",
        "server", "RSS, none", "RSS, held", "peak (HWM)", "per connection"
    );
    for (kind, measured) in memory {
        match measured {
            Ok(m) => println!(
                "{:<16}  {:>9} KiB  {:>11} KiB  {:>8} KiB  {:>10.1} KiB",
                kind.name(),
                m.idle,
                m.held,
                m.peak,
                m.held.saturating_sub(m.idle) as f64 / held as f64
            ),
            Err(error) => println!("{:<16}  not measured: {error}", kind.name()),
        }
    }
    match kernel_takes() {
        Ok(taken) => {
            let unsent = LONG_POEM.saturating_sub(taken) as f64 / 1024.0;
            println!();
            println!(
                "the kernel takes {taken} bytes of each poem (both small buffers); the other \
                 {unsent:.1} KiB wait in the server, as a reference to the one shared poem"
            );
            println!(
                "(a server that copied them would hold {unsent:.1} KiB more per connection, \
                 {:.0} MiB for {held})",
                unsent * held as f64 / 1024.0
            );
        }
        Err(error) => println!("(how much of a poem the kernel takes was not measured: {error})"),
    }
}

fn main() {
    if let Some(spec) = env::var_os(CHILD) {
        let spec = spec.to_string_lossy().into_owned();
        if let Err(error) = child(&spec) {
            eprintln!("servers: the {spec} server failed: {error}");
            process::exit(1);
        }
        return;
    }
    let started = SystemTime::now();
    let limit = file_limit();
    let poem =
        short_poem().unwrap_or_else(|error| panic!("servers: cannot read the poem: {error}"));
    let mut criterion = Criterion::default().configure_from_args();
    throughput(&mut criterion, limit, &poem);
    criterion.final_summary();
    // `--list` output is read by tools: add nothing to it.
    if estimates::listing() {
        return;
    }
    let benching = env::args().any(|arg| arg == "--bench");
    let extras = env::var_os(EXTRAS).is_none_or(|value| value != "0");
    if !extras {
        eprintln!("servers: {EXTRAS}=0: no paired rounds, no memory");
    }
    let paired = if extras {
        let rounds = if benching { ROUNDS } else { 1 };
        let mut both = paired(Kind::Epoll, limit, &poem, rounds);
        both.extend(paired(Kind::Async, limit, &poem, rounds));
        both
    } else {
        Vec::new()
    };
    let held = if benching { HELD } else { HELD_IN_TEST };
    let memory: Vec<(Kind, io::Result<Memory>)> = if !extras {
        Vec::new()
    } else if !fits(held, limit) {
        eprintln!(
            "servers: the limit on open files is {limit}, too low to hold {held} connections: memory not measured"
        );
        Vec::new()
    } else {
        KINDS
            .iter()
            .map(|&kind| (kind, memory(kind, held)))
            .collect()
    };
    if benching {
        print_tables(
            &Estimates::since(started),
            limit,
            &poem,
            &paired,
            &memory,
            held,
        );
    } else {
        for (kind, measured) in memory {
            if let Err(error) = measured {
                panic!("servers: memory of {}: {error}", kind.name());
            }
        }
    }
}
