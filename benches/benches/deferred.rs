//! # The *deferred* benchmark: what a callback costs in a Deferred's chain
//!
//! **The claim (parts 7 to 9).** A Deferred's bookkeeping costs a small,
//! constant amount per callback, about what a boxed `futures` combinator
//! costs.
//! Every callback added to a [`part_07::Deferred`] becomes a type-erased
//! step in a queue shared through an `Rc`, kept inline when it is small;
//! firing runs the steps where they lie, each taking its input from the
//! step before it (which holds what it returned) with one type check, each
//! call guarded against panics. That is more than calling a closure, but it
//! does not grow with the length of the chain: the time per callback
//! settles to a constant as the chain grows. What a chain costs once (its
//! shared core, firing it, dropping it) is spread over its callbacks, so a
//! short chain costs more per callback than a long one.
//!
//! **What it measures** (group `deferred`). For chains of N = 1, 10 and 100
//! callbacks, each adding 1 to a `u64`, one iteration builds the chain,
//! runs it from 0, and reads the result (which must be N), three ways:
//!
//! - `deferred`: `add_callback(|n| Ok(n + 1))` N times on a new deferred,
//!   one more callback that stores the result in a thread-local where the
//!   benchmark can read it (a deferred has no other way to hand it out),
//!   then fire the trigger;
//! - `closures`: N boxed closures `|n| n + 1` in a
//!   `Vec<Box<dyn FnOnce(u64) -> u64>>`, applied in turn: the floor, an
//!   indirect call per step and nothing else (a closure that captures
//!   nothing is boxed without allocating);
//! - `futures`: `futures::future::ready(Ok(0))` and N `and_then(|n|
//!   ready(Ok(n + 1)))` combinators, each boxed (`boxed_local`) so that the
//!   chain is built at run time as a Deferred's is, then polled to the end
//!   once with `now_or_never` (everything is ready: no executor is needed).
//!
//! Criterion takes 30 samples of each, after a 0.5 s warm-up, over 2 s.
//! Afterwards the program reads the means criterion wrote in this run (see
//! `benches::estimates`) and prints the nanoseconds per callback of each
//! way at each N, the ratios Deferred/closures and Deferred/futures, and
//! the cost of one more callback, from the difference between N = 10 and
//! N = 100 (which leaves out what a chain costs once, whatever its length:
//! creating the deferred, firing it, reading the result).
//! A cell shows `-` when that benchmark did not run this time.
//!
//! **Run it** (under half a minute, after the build):
//!
//! ```sh
//! cargo bench -p benches --bench deferred
//! ```

use std::cell::Cell;
use std::convert::Infallible;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

use benches::estimates::{self, Estimates, nanos, ratio};
use criterion::{BenchmarkId, Criterion};
use futures::future::{self, FutureExt, LocalBoxFuture, TryFutureExt};

/// The benchmark group, and the folder criterion writes its estimates to.
const GROUP: &str = "deferred";

/// The lengths of the chains.
const LENGTHS: [u64; 3] = [1, 10, 100];

/// Samples per benchmark.
const SAMPLES: usize = 30;

/// Warm-up time per benchmark.
const WARM_UP: Duration = Duration::from_millis(500);

/// Measurement time per benchmark.
const MEASUREMENT: Duration = Duration::from_secs(2);

/// The three ways, as named in benchmark ids and in the table.
const WAYS: [(&str, &str); 3] = [
    ("deferred", "Deferred"),
    ("closures", "closures"),
    ("futures", "futures"),
];

// ANCHOR: ways
thread_local! {
    /// Where the last callback of a Deferred's chain leaves the result: a
    /// deferred has no other way to hand it out, and a thread-local costs
    /// no allocation, so the benchmark measures the chain and not this.
    static RESULT: Cell<Option<u64>> = const { Cell::new(None) };
}

/// A Deferred's chain of `n` callbacks: build it, fire it with 0, read the
/// result through one last callback.
fn deferred_chain(n: u64) -> u64 {
    let (mut d, trigger) = part_07::deferred::<u64>();
    for _ in 0..n {
        d = d.add_callback(|n: u64| Ok(n + 1));
    }
    let _end = d.add_callback(|n: u64| RESULT.with(|result| result.set(Some(n))));
    trigger
        .callback(black_box(0))
        .expect("a new deferred fires once");
    RESULT.with(Cell::take).expect("the chain ran to its end")
}

/// The same with plain boxed closures, applied in turn.
fn closure_chain(n: u64) -> u64 {
    let chain: Vec<Box<dyn FnOnce(u64) -> u64>> = (0..n)
        .map(|_| Box::new(|n: u64| n + 1) as Box<dyn FnOnce(u64) -> u64>)
        .collect();
    chain.into_iter().fold(black_box(0), |n, step| step(n))
}

/// The same with `futures` combinators, boxed, polled once to the end.
fn futures_chain(n: u64) -> u64 {
    let mut chain: LocalBoxFuture<'static, Result<u64, Infallible>> =
        future::ready(Ok(black_box(0))).boxed_local();
    for _ in 0..n {
        chain = chain
            .and_then(|n: u64| future::ready(Ok(n + 1)))
            .boxed_local();
    }
    match chain.now_or_never() {
        Some(Ok(n)) => n,
        Some(Err(never)) => match never {},
        None => panic!("a chain of ready futures is ready"),
    }
}
// ANCHOR_END: ways

/// The way called `id`.
fn way(id: &str) -> fn(u64) -> u64 {
    match id {
        "deferred" => deferred_chain,
        "closures" => closure_chain,
        "futures" => futures_chain,
        _ => unreachable!("no way called {id}"),
    }
}

/// The criterion group: every way at every length.
fn chains(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group(GROUP);
    group
        .sample_size(SAMPLES)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT);
    for n in LENGTHS {
        for (id, _) in WAYS {
            let run = way(id);
            assert_eq!(run(n), n, "{id}: a chain of {n} adds {n}");
            group.bench_with_input(BenchmarkId::new(id, n), &n, |b, &n| {
                b.iter(|| {
                    let result = run(black_box(n));
                    assert_eq!(result, n);
                    result
                })
            });
        }
    }
    group.finish();
}

/// Prints the table from the estimates criterion wrote in this run.
fn print_table(estimates: &Estimates) {
    let per_callback: Vec<(u64, [Option<f64>; 3])> = LENGTHS
        .iter()
        .map(|&n| {
            let mean = |(id, _): (&str, &str)| estimates.mean_ns(GROUP, id, n);
            (n, WAYS.map(mean).map(|ns| ns.map(|ns| ns / n as f64)))
        })
        .collect();
    if per_callback
        .iter()
        .all(|(_, means)| means.iter().all(Option::is_none))
    {
        eprintln!(
            "deferred: no estimates were written in this run under {} (test mode or a filter?), so no table",
            estimates.home().display()
        );
        return;
    }
    let [deferred, closures, futures] = WAYS.map(|(_, name)| name);

    println!();
    println!("deferred: a chain of N callbacks (each adds 1), built, fired and read");
    println!(
        "from {}/{GROUP}/<way>/<N>/new/estimates.json",
        estimates.home().display()
    );
    println!();
    println!("time per callback (the whole chain's time / N):");
    println!(
        "{:>5}  {:>10}  {:>10}  {:>10}  {:>17}  {:>16}",
        "N", deferred, closures, futures, "Deferred/closures", "Deferred/futures"
    );
    for &(n, [on_deferred, on_closures, on_futures]) in &per_callback {
        println!(
            "{:>5}  {:>10}  {:>10}  {:>10}  {:>17}  {:>16}",
            n,
            nanos(on_deferred),
            nanos(on_closures),
            nanos(on_futures),
            ratio(on_deferred, on_closures),
            ratio(on_deferred, on_futures)
        );
    }

    // One more callback: the difference between the two longest chains,
    // which leaves out whatever a chain costs once.
    let (short, long) = (LENGTHS[1], LENGTHS[2]);
    let marginal = WAYS.map(|(id, _)| {
        match (
            estimates.mean_ns(GROUP, id, short),
            estimates.mean_ns(GROUP, id, long),
        ) {
            (Some(a), Some(b)) => Some((b - a) / (long - short) as f64),
            _ => None,
        }
    });
    let [on_deferred, on_closures, on_futures] = marginal;
    println!();
    println!("one more callback (from N = {short} to N = {long}):");
    println!(
        "{:>5}  {:>10}  {:>10}  {:>10}  {:>17}  {:>16}",
        "",
        nanos(on_deferred),
        nanos(on_closures),
        nanos(on_futures),
        ratio(on_deferred, on_closures),
        ratio(on_deferred, on_futures)
    );
    if per_callback
        .iter()
        .any(|(_, means)| means.iter().any(Option::is_none))
    {
        println!("(-: not measured in this run)");
    }
}

fn main() {
    let started = SystemTime::now();
    let mut criterion = Criterion::default().configure_from_args();
    chains(&mut criterion);
    criterion.final_summary();
    // `--list` output is read by tools: add nothing to it.
    if estimates::listing() {
        return;
    }
    print_table(&Estimates::since(started));
}
