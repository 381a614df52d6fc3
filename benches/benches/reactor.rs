//! # The *reactor* benchmark: idle connections and timers, epoll against poll(2)
//!
//! **The claims (part 3).** A reactor spends its life waiting, and how it
//! waits decides what idle connections cost it. Part 3's reactor can wait in
//! two ways. With `epoll` (through `mio`) the kernel keeps the set of
//! watched descriptors and a wait reports only the ready ones, so one turn
//! of the loop should cost about the same whether 10 or 10,000 connections
//! sit idle beside the busy one. With `poll(2)` the whole set is handed to
//! the kernel and scanned on every wait, so a turn should grow in step with
//! the number of connections watched. Timed calls never touch the backend:
//! scheduling and firing one should cost the same small amount on both.
//!
//! **Idle connections** (group `reactor-idle`). For N in 10, 1,000 and
//! 10,000, and for each backend, a reactor
//! (`Reactor::with(kind, Clock::real())`) watches N descriptors, outside
//! the timed part: N/2 socket pairs (`UnixStream::pair`, non-blocking), with
//! a reader on *both* ends of every pair, so that N watched connections take
//! N descriptors rather than 2N. (10,000 pairs, 20,000 descriptors, would
//! not fit under a hard limit of 20,000 open files, which is not rare.) One
//! end is the active connection. One iteration is one turn: write one byte
//! to its partner, run the reactor; its reader reads the byte and stops the
//! reactor. Every turn checks that exactly that one byte arrived. Before
//! anything else the program raises its soft limit on open files as far as
//! the hard limit allows; an N that still does not fit is skipped, and the
//! output says so.
//!
//! **Timers** (group `reactor-timers`). One iteration schedules 10,000
//! `call_later`s with delays spread over 100 µs in a shuffled order, and a
//! last call 100 µs ahead that stops the reactor; then it runs the reactor
//! until that last call, by which time every call is due. `fire` lets every
//! call run (each counts itself); `cancel` cancels every call right after
//! scheduling them all, so the reactor discards them when they come up. The
//! time is that of scheduling plus running. The stopping call is due
//! 100 µs after the scheduling ends; the benchmark spins until then and
//! leaves that wait out, so every call is due when the reactor runs and no
//! sleeping is measured. Criterion reports the time per 10,000 calls (and
//! as calls per second).
//!
//! Criterion takes 20 samples of each, after a 0.5 s warm-up, over 2 s.
//! Afterwards the program reads the means criterion wrote in this run (see
//! `benches::estimates`) and prints two tables: the time of a turn at each N
//! with the poll/epoll ratio and each backend's growth from N = 10 to
//! N = 10,000; and the nanoseconds per timed call. A cell shows `-` when
//! that benchmark did not run this time (a filter was given).
//!
//! **Run it** (about half a minute on two cores, after the build):
//!
//! ```sh
//! cargo bench -p benches --bench reactor
//! ```

use std::cell::{Cell, RefCell};
use std::hint;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

use benches::estimates::{self, Estimates, micros, nanos, ratio};
use criterion::{BenchmarkId, Criterion, Throughput};
use part_03::{
    BackendKind, Clock, DelayedCall, Disconnect, FileDescriptor, Reactor, ReadDescriptor,
};

/// The group of the idle-connection benchmarks.
const IDLE: &str = "reactor-idle";

/// The group of the timer benchmarks.
const TIMERS: &str = "reactor-timers";

/// How many connections the reactor watches: all idle but one.
const COUNTS: [usize; 3] = [10, 1_000, 10_000];

/// Descriptors to keep free besides the connections: standard streams,
/// the `epoll` instance, the one extra end we write through, and whatever
/// criterion opens to save its results.
const SPARE_FDS: usize = 64;

/// How many timed calls one timer iteration schedules.
const CALLS: usize = 10_000;

/// The delays of the timed calls are spread over this much time.
const SPREAD: Duration = Duration::from_micros(100);

/// Samples per benchmark.
const SAMPLES: usize = 20;

/// Warm-up time per benchmark.
const WARM_UP: Duration = Duration::from_millis(500);

/// Measurement time per benchmark.
const MEASUREMENT: Duration = Duration::from_secs(2);

/// The two backends, as named in benchmark ids and in the tables.
const BACKENDS: [(BackendKind, &str, &str); 2] = [
    (BackendKind::Mio, "epoll", "epoll (mio)"),
    (BackendKind::Poll, "poll", "poll(2)"),
];

/// The two timer benchmarks, as named in ids and in the table.
const TIMER_WAYS: [(&str, &str); 2] =
    [("fire", "schedule + fire"), ("cancel", "schedule + cancel")];

// --- Idle connections -------------------------------------------------------

/// One end of a socket pair, watched for reading. It reads whatever has
/// arrived, adds the count to a total shared by every end, and, if it got
/// anything, stops the reactor: that ends the turn.
struct Sink {
    stream: UnixStream,
    received: Rc<Cell<u64>>,
}

impl FileDescriptor for Sink {
    fn fileno(&self) -> RawFd {
        self.stream.as_raw_fd()
    }
}

impl ReadDescriptor for Sink {
    fn do_read(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        let mut buffer = [0; 64];
        let mut got = 0;
        loop {
            match self.stream.read(&mut buffer) {
                Ok(0) => return Err(Disconnect::Done),
                Ok(n) => got += n as u64,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Disconnect::Lost(e)),
            }
        }
        if got > 0 {
            self.received.set(self.received.get() + got);
            // Only the active end ever reads, once per turn: stop succeeds.
            let _ = reactor.stop();
        }
        Ok(())
    }
}

/// A reactor watching N connections, and a way to wake one of them.
struct Connections {
    reactor: Reactor,
    /// A second descriptor for the partner of the active end: writing to
    /// it makes the active end readable.
    poke: UnixStream,
    /// Bytes read by all the ends together.
    received: Rc<Cell<u64>>,
}

impl Connections {
    /// `n` watched descriptors (`n` even): `n / 2` socket pairs, a reader on
    /// each end. The active one is in the middle.
    fn open(kind: BackendKind, n: usize) -> io::Result<Connections> {
        let reactor = Reactor::with(kind, Clock::real())?;
        let received = Rc::new(Cell::new(0));
        let mut poke = None;
        for pair in 0..n / 2 {
            let (active, partner) = UnixStream::pair()?;
            if pair == n / 4 {
                poke = Some(partner.try_clone()?);
            }
            for stream in [active, partner] {
                stream.set_nonblocking(true)?;
                let sink = Sink {
                    stream,
                    received: Rc::clone(&received),
                };
                reactor.add_reader(Rc::new(RefCell::new(sink)))?;
            }
        }
        let poke = poke.ok_or_else(|| io::Error::other("no connections to watch"))?;
        Ok(Connections {
            reactor,
            poke,
            received,
        })
    }

    /// One turn: write a byte to the active connection, run the reactor
    /// until its reader has read it. Panics unless exactly one byte arrived.
    fn turn(&self) {
        let before = self.received.get();
        match (&self.poke).write(b"!") {
            Ok(1) => {}
            other => panic!("could not write the byte that wakes the reactor: {other:?}"),
        }
        self.reactor
            .run()
            .unwrap_or_else(|error| panic!("the reactor failed: {error}"));
        assert_eq!(
            self.received.get(),
            before + 1,
            "one byte written, so one byte read"
        );
    }
}

/// The open-file limit to plan with, after raising it; says on standard
/// error (never on standard output, which `--list` keeps for tools) when an
/// N will not fit.
fn file_limit() -> usize {
    // Part 11's helper: the soft limit raised to the hard one.
    let limit = match part_11::raise_file_limit() {
        Ok(limit) => usize::try_from(limit.soft).unwrap_or(usize::MAX),
        Err(error) => {
            eprintln!("reactor: cannot raise the limit on open files: {error}");
            0
        }
    };
    for n in COUNTS.into_iter().filter(|&n| !fits(n, limit)) {
        eprintln!(
            "reactor: the limit on open files is {limit}, too low for {n} connections (they need {}): N = {n} is skipped",
            n + SPARE_FDS
        );
    }
    limit
}

/// Whether `n` connections fit under the open-file limit.
fn fits(n: usize, limit: usize) -> bool {
    n + SPARE_FDS <= limit
}

/// The criterion group: for each N and backend, open the connections,
/// measure one turn, close them.
fn idle(criterion: &mut Criterion, limit: usize) {
    let mut group = criterion.benchmark_group(IDLE);
    group
        .sample_size(SAMPLES)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT);
    for n in COUNTS.into_iter().filter(|&n| fits(n, limit)) {
        for (kind, id, name) in BACKENDS {
            let connections = match Connections::open(kind, n) {
                Ok(connections) => connections,
                Err(error) => {
                    eprintln!("reactor: cannot open {n} connections on {name}, skipped: {error}");
                    continue;
                }
            };
            group.bench_function(BenchmarkId::new(id, n), |b| b.iter(|| connections.turn()));
            assert_eq!(connections.reactor.failures(), 0, "no callback failed");
        }
    }
    group.finish();
}

// --- Timers ------------------------------------------------------------------

/// The delay of the `i`th call: a shuffle of 0, 10, 20, … ns up to
/// [`SPREAD`], so that the timer queue gets them out of order.
fn spread(i: usize) -> Duration {
    let step = SPREAD / CALLS as u32;
    // 7919 is prime and does not divide CALLS: i ↦ 7919·i mod CALLS is a
    // permutation of 0..CALLS.
    step * ((i * 7919) % CALLS) as u32
}

/// Schedules a call [`SPREAD`] from now, after every call already
/// scheduled, that stops the reactor.
fn stop_after_the_rest(reactor: &Reactor) -> DelayedCall {
    let handle = reactor.clone();
    reactor.call_later(SPREAD, move || handle.stop())
}

/// Runs the reactor once `last` is due, so that every call is due by then
/// and the reactor never waits: the wait before, if any, is not counted.
/// Returns how long the run took.
fn run_when_due(reactor: &Reactor, last: &DelayedCall) -> Duration {
    while reactor.now() < last.due() {
        hint::spin_loop();
    }
    let started = Instant::now();
    reactor
        .run()
        .unwrap_or_else(|error| panic!("the reactor failed: {error}"));
    assert!(!last.active(), "the reactor ran until the last call");
    started.elapsed()
}

/// `fire`: `iters` times, schedule [`CALLS`] calls and run them all.
fn fire(reactor: &Reactor, iters: u64) -> Duration {
    let mut spent = Duration::ZERO;
    for _ in 0..iters {
        let fired = Rc::new(Cell::new(0));
        let started = Instant::now();
        for i in 0..CALLS {
            let fired = Rc::clone(&fired);
            reactor.call_later(spread(i), move || fired.set(fired.get() + 1));
        }
        let last = stop_after_the_rest(reactor);
        spent += started.elapsed();
        spent += run_when_due(reactor, &last);
        assert_eq!(fired.get(), CALLS, "every call ran");
    }
    spent
}

/// `cancel`: `iters` times, schedule [`CALLS`] calls, cancel them all, and
/// run the reactor while it discards them.
fn cancel(reactor: &Reactor, iters: u64) -> Duration {
    let mut spent = Duration::ZERO;
    let mut calls = Vec::with_capacity(CALLS);
    for _ in 0..iters {
        let fired = Rc::new(Cell::new(0));
        let started = Instant::now();
        for i in 0..CALLS {
            let fired = Rc::clone(&fired);
            calls.push(reactor.call_later(spread(i), move || fired.set(fired.get() + 1)));
        }
        for call in calls.drain(..) {
            call.cancel()
                .unwrap_or_else(|error| panic!("cannot cancel a pending call: {error}"));
        }
        let last = stop_after_the_rest(reactor);
        spent += started.elapsed();
        spent += run_when_due(reactor, &last);
        assert_eq!(fired.get(), 0, "no cancelled call ran");
    }
    spent
}

/// The criterion group: both timer benchmarks on both backends.
fn timers(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group(TIMERS);
    group
        .sample_size(SAMPLES)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT)
        .throughput(Throughput::Elements(CALLS as u64));
    for (kind, id, _) in BACKENDS {
        let reactor = Reactor::with(kind, Clock::real())
            .unwrap_or_else(|error| panic!("cannot create a reactor: {error}"));
        group.bench_function(BenchmarkId::new("fire", id), |b| {
            b.iter_custom(|iters| fire(&reactor, iters))
        });
        group.bench_function(BenchmarkId::new("cancel", id), |b| {
            b.iter_custom(|iters| cancel(&reactor, iters))
        });
        assert_eq!(reactor.failures(), 0, "no callback failed");
    }
    group.finish();
}

// --- The tables ----------------------------------------------------------------

/// `a / b` as a factor with two decimals, if both were measured.
fn times(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("×{:.2}", a / b),
        _ => "-".to_string(),
    }
}

/// Prints the ratio tables from the estimates criterion wrote in this run.
fn print_tables(estimates: &Estimates, limit: usize) {
    let turns: Vec<(usize, [Option<f64>; 2])> = COUNTS
        .iter()
        .map(|&n| (n, BACKENDS.map(|(_, id, _)| estimates.mean_ns(IDLE, id, n))))
        .collect();
    let calls: Vec<(&str, [Option<f64>; 2])> = TIMER_WAYS
        .iter()
        .map(|&(way, label)| {
            let per_call = |(_, id, _): (BackendKind, &str, &str)| {
                estimates
                    .mean_ns(TIMERS, way, id)
                    .map(|ns| ns / CALLS as f64)
            };
            (label, BACKENDS.map(per_call))
        })
        .collect();
    let measured = turns
        .iter()
        .filter(|(n, _)| fits(*n, limit))
        .map(|(_, means)| means)
        .chain(calls.iter().map(|(_, means)| means));
    let (any, all) = measured.fold((false, true), |(any, all), means| {
        (
            any || means.iter().any(Option::is_some),
            all && means.iter().all(Option::is_some),
        )
    });
    if !any {
        eprintln!(
            "reactor: no estimates were written in this run under {} (test mode or a filter?), so no tables",
            estimates.home().display()
        );
        return;
    }
    let home = estimates.home().display();
    let [epoll, poll] = BACKENDS.map(|(_, _, name)| name);

    println!();
    println!("reactor: one turn with N connections watched, one of them active");
    println!("(write 1 byte to the active one, run the reactor until its reader has it)");
    println!("from {home}/{IDLE}/<backend>/<N>/new/estimates.json");
    println!();
    println!(
        "{:>6}  {:>12}  {:>12}  {:>10}",
        "N", epoll, poll, "poll/epoll"
    );
    for &(n, [on_epoll, on_poll]) in &turns {
        if fits(n, limit) {
            println!(
                "{:>6}  {:>12}  {:>12}  {:>10}",
                n,
                micros(on_epoll),
                micros(on_poll),
                ratio(on_poll, on_epoll)
            );
        } else {
            println!(
                "{n:>6}  skipped: the limit on open files is {limit}, {} needed",
                n + SPARE_FDS
            );
        }
    }
    let (first, last) = (&turns[0], &turns[turns.len() - 1]);
    println!();
    println!("growth from N = {} to N = {}:", first.0, last.0);
    for (i, (_, _, name)) in BACKENDS.iter().enumerate() {
        println!("{:>14}  {}", name, times(last.1[i], first.1[i]));
    }

    println!();
    println!(
        "reactor: {CALLS} timed calls, delays spread over {SPREAD:?}, all due when the reactor runs"
    );
    println!("from {home}/{TIMERS}/<way>/<backend>/new/estimates.json");
    println!();
    println!(
        "{:<28}  {:>12}  {:>12}  {:>10}",
        "per timed call", epoll, poll, "poll/epoll"
    );
    for &(label, [on_epoll, on_poll]) in &calls {
        println!(
            "{:<28}  {:>12}  {:>12}  {:>10}",
            label,
            nanos(on_epoll),
            nanos(on_poll),
            ratio(on_poll, on_epoll)
        );
    }
    let per_second =
        |ns: Option<f64>| ns.map_or_else(|| "-".to_string(), |ns| format!("{:.1} M/s", 1e3 / ns));
    let [on_epoll, on_poll] = calls[0].1;
    println!(
        "{:<28}  {:>12}  {:>12}",
        "calls scheduled and fired",
        per_second(on_epoll),
        per_second(on_poll)
    );
    if !all {
        println!("(-: not measured in this run)");
    }
}

fn main() {
    let started = SystemTime::now();
    let limit = file_limit();
    let mut criterion = Criterion::default().configure_from_args();
    idle(&mut criterion, limit);
    timers(&mut criterion);
    criterion.final_summary();
    // `--list` output is read by tools: add nothing to it.
    if estimates::listing() {
        return;
    }
    print_tables(&Estimates::since(started), limit);
}
