//! # The *models* benchmark: blocking, asynchronous and threaded downloads
//!
//! **The claim (part 2).** Fetching one poem from each of N slow servers takes
//! about the *sum* of all the downloads with a blocking client, which waits
//! for one server at a time, and about the *slowest* one with an asynchronous
//! client, which waits for all of them at once. With N equally slow servers
//! the async/blocking time ratio should therefore approach 1/N. A thread per
//! server gets the same overlap as the asynchronous client, paying for it with
//! N threads instead of one.
//!
//! **The setup.** For each N in 1, 4, 16 and 64, N [`SlowServer`]s are started
//! on free ports of 127.0.0.1, outside the timed part. Each serves the first
//! 120 bytes of the first bundled poem (`science.txt`), 20 bytes at a time
//! with 2 ms between chunks: 6 chunks and 5 pauses, so each download takes
//! about 10 ms. One iteration fetches one poem from every server, three ways,
//! all measured in the same run (group `models`):
//!
//! - `blocking`: [`part_02::blocking::get_poetry`] for each server in turn;
//! - `async`: [`part_02::async_client::get_poetry`] once, for all servers
//!   (part 2's hand-written readiness loop on `mio`);
//! - `threaded`: one scoped thread per server, each calling the blocking
//!   `get_poetry`.
//!
//! A slow server serves one client at a time, so every iteration asks each
//! server exactly once. Every iteration checks that every poem arrived whole:
//! a failed download panics rather than being timed.
//!
//! Criterion uses 10 samples of equal size (flat sampling), a 0.5 s warm-up
//! and at least 2 s of measurement per benchmark (longer for the blocking
//! client at large N, so that 10 samples fit). After the measurements the
//! program reads the mean of each benchmark from the estimates criterion wrote
//! in this run (`<target>/criterion/models/<way>/<N>/new/estimates.json`) and
//! prints a ratio table: async/blocking and threaded/blocking beside 1/N.
//!
//! A table cell shows `-` when that benchmark did not run this time (a
//! filter was given): estimates left over from an earlier run are never used.
//!
//! **Run it** (under a minute of measuring on two cores, after the build):
//!
//! ```sh
//! cargo bench -p benches --bench models
//! ```

use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, SystemTime};

use benches::estimates::{self, Estimates, millis, ratio};
use criterion::{BenchmarkId, Criterion, SamplingMode};
use part_02::{ServerOptions, SlowServer};

/// The benchmark group, and the folder criterion writes its estimates to.
const GROUP: &str = "models";

/// How many servers (and poems) per iteration.
const COUNTS: [usize; 4] = [1, 4, 16, 64];

/// How much of the first bundled poem each server sends.
const POEM_BYTES: usize = 120;

/// The pacing of every server: 20 bytes every 2 ms.
const OPTIONS: ServerOptions = ServerOptions {
    num_bytes: 20,
    delay: Duration::from_millis(2),
};

/// Samples per benchmark (criterion's minimum).
const SAMPLES: usize = 10;

/// The shortest measurement time of one benchmark.
const MEASUREMENT: Duration = Duration::from_secs(2);

/// One way of fetching a poem from every server; panics unless every poem
/// arrived whole.
type Fetch = fn(&[SocketAddr], &[u8]);

/// A way to fetch the poems.
struct Way {
    /// Its name in the benchmark id.
    name: &'static str,
    /// The code it runs.
    fetch: Fetch,
    /// Whether it downloads one poem after another (so an iteration takes
    /// about N download times rather than one).
    serial: bool,
}

/// The three ways, in the order they are measured and shown.
const WAYS: [Way; 3] = [
    Way {
        name: "blocking",
        fetch: fetch_blocking,
        serial: true,
    },
    Way {
        name: "async",
        fetch: fetch_async,
        serial: false,
    },
    Way {
        name: "threaded",
        fetch: fetch_threaded,
        serial: false,
    },
];

/// The poem every server sends.
fn poem() -> &'static [u8] {
    let (_name, text) = part_02::poems()[0];
    &text[..POEM_BYTES]
}

/// How long one download should take: a pause between every two chunks.
fn download_time() -> Duration {
    let chunks = POEM_BYTES.div_ceil(OPTIONS.num_bytes);
    OPTIONS.delay * (chunks as u32 - 1)
}

/// Enough measurement time for [`SAMPLES`] iterations of `way` with `n`
/// servers, with a margin, and never less than [`MEASUREMENT`].
fn measurement_time(way: &Way, n: usize) -> Duration {
    let downloads = if way.serial { n } else { 1 };
    let needed = download_time() * (downloads * SAMPLES) as u32 * 5 / 4;
    needed.max(MEASUREMENT)
}

/// Panics unless `got` is exactly the poem.
fn check(addr: SocketAddr, got: &[u8], poem: &[u8]) {
    assert!(
        got == poem,
        "{addr} sent {} bytes that are not the {}-byte poem",
        got.len(),
        poem.len()
    );
}

/// `blocking`: one server after another, on this thread.
fn fetch_blocking(addrs: &[SocketAddr], poem: &[u8]) {
    for &addr in addrs {
        let got = part_02::blocking::get_poetry(addr, &part_02::cli::Timeouts::default(), |_| {})
            .unwrap_or_else(|error| panic!("blocking download from {addr} failed: {error}"));
        check(addr, &got, poem);
    }
}

/// `async`: every server at once, on this thread, in part 2's readiness loop.
fn fetch_async(addrs: &[SocketAddr], poem: &[u8]) {
    let results =
        part_02::async_client::get_poetry(addrs, &part_02::cli::Timeouts::default(), |_| {})
            .unwrap_or_else(|error| panic!("the readiness loop failed: {error}"));
    assert_eq!(results.len(), addrs.len(), "one result per server");
    for (&addr, result) in addrs.iter().zip(results) {
        let got =
            result.unwrap_or_else(|error| panic!("async download from {addr} failed: {error}"));
        check(addr, &got, poem);
    }
}

/// `threaded`: every server at once, one blocking download per thread.
fn fetch_threaded(addrs: &[SocketAddr], poem: &[u8]) {
    thread::scope(|scope| {
        let downloads: Vec<_> = addrs
            .iter()
            .map(|&addr| {
                scope.spawn(move || {
                    part_02::blocking::get_poetry(addr, &part_02::cli::Timeouts::default(), |_| {})
                })
            })
            .collect();
        for (&addr, download) in addrs.iter().zip(downloads) {
            let got = download
                .join()
                .unwrap_or_else(|_| panic!("the thread downloading from {addr} panicked"))
                .unwrap_or_else(|error| panic!("threaded download from {addr} failed: {error}"));
            check(addr, &got, poem);
        }
    });
}

/// The criterion group: for each N, start N servers, measure the three ways
/// against them, stop them.
fn models(criterion: &mut Criterion) {
    let poem = poem();
    let mut group = criterion.benchmark_group(GROUP);
    group
        .sample_size(SAMPLES)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500));
    for n in COUNTS {
        let servers: Vec<SlowServer> = (0..n)
            .map(|_| {
                SlowServer::spawn(poem, OPTIONS)
                    .unwrap_or_else(|error| panic!("cannot start a slow server: {error}"))
            })
            .collect();
        let addrs: Vec<SocketAddr> = servers.iter().map(SlowServer::addr).collect();
        for way in &WAYS {
            group.measurement_time(measurement_time(way, n));
            group.bench_with_input(BenchmarkId::new(way.name, n), &addrs, |b, addrs| {
                b.iter(|| (way.fetch)(addrs, poem))
            });
        }
        drop(servers); // each server stops when dropped
    }
    group.finish();
}

/// Prints the ratio table from the estimates criterion wrote in this run.
fn print_ratios(estimates: &Estimates) {
    let home = estimates.home();
    let rows: Vec<(usize, [Option<f64>; 3])> = COUNTS
        .iter()
        .map(|&n| (n, WAYS.map(|way| estimates.mean_ns(GROUP, way.name, n))))
        .collect();
    if rows
        .iter()
        .all(|(_, means)| means.iter().all(Option::is_none))
    {
        eprintln!(
            "models: no estimates were written in this run under {} (test mode or a filter?), so no ratio table",
            home.display()
        );
        return;
    }
    let missing = rows
        .iter()
        .any(|(_, means)| means.iter().any(Option::is_none));
    println!();
    println!(
        "models: mean time to fetch N poems (each {POEM_BYTES} bytes, {} bytes every {:?}, ~{:?} per download)",
        OPTIONS.num_bytes,
        OPTIONS.delay,
        download_time()
    );
    println!(
        "from {}/{GROUP}/<way>/<N>/new/estimates.json",
        home.display()
    );
    println!();
    println!(
        "{:>4}  {:>10}  {:>10}  {:>10}  {:>14}  {:>17}  {:>6}",
        "N", "blocking", "async", "threaded", "async/blocking", "threaded/blocking", "1/N"
    );
    for (n, [blocking, asynchronous, threaded]) in rows {
        println!(
            "{:>4}  {:>10}  {:>10}  {:>10}  {:>14}  {:>17}  {:>6.3}",
            n,
            millis(blocking),
            millis(asynchronous),
            millis(threaded),
            ratio(asynchronous, blocking),
            ratio(threaded, blocking),
            1.0 / n as f64
        );
    }
    if missing {
        println!("(-: not measured in this run)");
    }
}

fn main() {
    let started = SystemTime::now();
    let mut criterion = Criterion::default().configure_from_args();
    models(&mut criterion);
    criterion.final_summary();
    // `--list` output is read by tools: add nothing to it.
    if estimates::listing() {
        return;
    }
    print_ratios(&Estimates::since(started));
}
