//! # The *deferred_list* benchmark: what a member of a list costs
//!
//! **The claim (part 18).** A `DeferredList` fires in time linear in its
//! length: each member costs a constant amount (one step added to its
//! chain, one slot filled, one count down), whatever the list's size.
//!
//! **What it measures** (group `deferred_list`). For lists of N = 100,
//! 1,000 and 10,000 members, one iteration makes N deferreds, builds the
//! list over them, fires the members in reverse order (so that they fire
//! out of the order given), and reads the list's result (which must hold
//! N values), two ways:
//!
//! - `deferred_list`: part 18's `DeferredList` over part 7's deferreds,
//!   the result read through a callback into a thread-local;
//! - `join_all`: `futures::future::join_all` over N `oneshot` receivers,
//!   the senders fired in reverse order, then the joined future polled to
//!   the end once with `now_or_never`.
//!
//! Criterion takes 20 samples of each, after a 0.5 s warm-up, over 2 s.
//! Afterwards the program reads the means criterion wrote in this run and
//! prints the nanoseconds per member of each way at each N, and the ratio
//! between them. A cell shows `-` when that benchmark did not run.
//!
//! **Run it** (under half a minute, after the build):
//!
//! ```sh
//! cargo bench -p benches --bench deferred_list
//! ```

use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

use benches::estimates::{self, Estimates, nanos, ratio};
use criterion::{BenchmarkId, Criterion};
use futures::FutureExt;
use futures::channel::oneshot;
use futures::future::join_all;
use part_18::{DeferredList, ListOptions, ListResult};

/// The benchmark group, and the folder criterion writes its estimates to.
const GROUP: &str = "deferred_list";

/// The lengths of the lists.
const LENGTHS: [usize; 3] = [100, 1_000, 10_000];

/// The two ways, as named in benchmark ids and in the table.
const WAYS: [(&str, &str); 2] = [("deferred_list", "DeferredList"), ("join_all", "join_all")];

thread_local! {
    /// Where the list's callback leaves how many values it got.
    static GOT: Cell<Option<usize>> = const { Cell::new(None) };
}

// ANCHOR: ways
/// N deferreds, a list over them, fired in reverse: how many values the
/// list fired with.
fn deferred_list(n: usize) -> usize {
    let (members, triggers): (Vec<_>, Vec<_>) = (0..n).map(|_| part_07::deferred::<u64>()).unzip();
    let _list = DeferredList::new(members, ListOptions::default())
        .into_deferred()
        .add_callback(|result: ListResult<u64>| {
            let values = result.into_all().map_or(0, |all| all.len());
            GOT.with(|got| got.set(Some(values)));
        });
    for (value, trigger) in triggers.iter().enumerate().rev() {
        let _ = trigger.callback(black_box(value as u64));
    }
    GOT.with(Cell::take).expect("the list fired")
}

/// N oneshot channels joined with `join_all`, sent to in reverse.
fn joined(n: usize) -> usize {
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..n).map(|_| oneshot::channel::<u64>()).unzip();
    let all = join_all(receivers);
    for (value, sender) in senders.into_iter().enumerate().rev() {
        let _ = sender.send(black_box(value as u64));
    }
    match all.now_or_never() {
        Some(values) => values.into_iter().filter(Result::is_ok).count(),
        None => panic!("every receiver has its value"),
    }
}
// ANCHOR_END: ways

fn way(id: &str) -> fn(usize) -> usize {
    match id {
        "deferred_list" => deferred_list,
        "join_all" => joined,
        _ => unreachable!("no way called {id}"),
    }
}

fn lists(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group(GROUP);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in LENGTHS {
        for (id, _) in WAYS {
            let run = way(id);
            assert_eq!(run(n), n, "{id}: a list of {n}");
            group.bench_with_input(BenchmarkId::new(id, n), &n, |b, &n| {
                b.iter(|| run(black_box(n)))
            });
        }
    }
    group.finish();
}

fn print_table(estimates: &Estimates) {
    let rows: Vec<(usize, [Option<f64>; 2])> = LENGTHS
        .iter()
        .map(|&n| {
            let mean = |(id, _): (&str, &str)| estimates.mean_ns(GROUP, id, n);
            (n, WAYS.map(mean).map(|ns| ns.map(|ns| ns / n as f64)))
        })
        .collect();
    if rows
        .iter()
        .all(|(_, means)| means.iter().all(Option::is_none))
    {
        eprintln!("deferred_list: no estimates were written in this run, so no table");
        return;
    }
    println!();
    println!("deferred_list: N members made, listed, fired in reverse, read");
    println!();
    println!("time per member (the whole run's time / N):");
    println!(
        "{:>6}  {:>12}  {:>10}  {:>21}",
        "N", "DeferredList", "join_all", "DeferredList/join_all"
    );
    for (n, [list, joined]) in rows {
        println!(
            "{:>6}  {:>12}  {:>10}  {:>21}",
            n,
            nanos(list),
            nanos(joined),
            ratio(list, joined)
        );
    }
}

fn main() {
    let started = SystemTime::now();
    let mut criterion = Criterion::default().configure_from_args();
    lists(&mut criterion);
    criterion.final_summary();
    if estimates::listing() {
        return;
    }
    print_table(&Estimates::since(started));
}
