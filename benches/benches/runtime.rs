//! # The *runtime* benchmark: our runtime against tokio's current-thread one
//!
//! **The claims (part 17).** Awaiting a deferred costs about what awaiting
//! a tokio `oneshot` costs, and our runtime spawns and completes tiny
//! tasks within twice the time tokio's current-thread runtime takes
//! (`spawn_local` on a `LocalSet`).
//!
//! **What it measures.** Group `runtime-await`, per await, in one task
//! that awaits `AWAITS` times in a row (so what a run costs once is spread
//! thin), two cases, each against tokio:
//!
//! - `fired`: ours awaits a deferred that has fired already
//!   (`succeed(i).await`); tokio awaits a `oneshot` whose value was sent
//!   before the await;
//! - `later`: ours awaits a deferred that a timed call with no delay fires
//!   on the reactor's next turn (the task is woken, queued and polled
//!   again); tokio awaits a `oneshot` that a task spawned just before
//!   sends on the scheduler's next turn.
//!
//! Group `runtime-spawn`: one iteration spawns `TASKS` tasks that each
//! return a number, then awaits each one's handle in turn (our deferred,
//! tokio's `JoinHandle`) and sums them, inside one `block_on`.
//!
//! Criterion takes 20 samples of each, after a 0.5 s warm-up, over 2 s.
//! Afterwards the program reads the means criterion wrote in this run
//! (`benches::estimates`) and prints the time per await and per task of
//! each, and the ratios ours/tokio.
//!
//! **Run it** (under a minute, after the build):
//!
//! ```sh
//! cargo bench -p benches --bench runtime
//! ```

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use benches::estimates::{self, Estimates, nanos, ratio};
use criterion::{BenchmarkId, Criterion};
use part_03::Reactor;
use part_07::{deferred, succeed};
use part_17::Runtime;
use tokio::sync::oneshot;
use tokio::task::LocalSet;

/// The groups, and the folders criterion writes its estimates to.
const AWAIT: &str = "runtime-await";
const SPAWN: &str = "runtime-spawn";

/// Awaits per iteration of the `runtime-await` group.
const AWAITS: u64 = 1000;

/// Tasks per iteration of the `runtime-spawn` group.
const TASKS: u64 = 100_000;

/// Samples per benchmark.
const SAMPLES: usize = 20;

/// Warm-up time per benchmark.
const WARM_UP: Duration = Duration::from_millis(500);

/// Measurement time per benchmark.
const MEASUREMENT: Duration = Duration::from_secs(2);

/// Both runtimes, made once.
struct Runtimes {
    ours: Runtime,
    tokio: tokio::runtime::Runtime,
}

impl Runtimes {
    fn new() -> Runtimes {
        let reactor = Reactor::new().expect("a reactor");
        Runtimes {
            ours: Runtime::new(&reactor),
            tokio: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime"),
        }
    }

    /// Ours: `AWAITS` deferreds that have fired already.
    fn ours_fired(&self) -> u64 {
        let sum = self.ours.block_on(async {
            let mut sum = 0;
            for i in 0..AWAITS {
                sum += succeed(black_box(i)).await.unwrap_or(0);
            }
            sum
        });
        sum.expect("the run ends")
    }

    /// Ours: `AWAITS` deferreds fired by a timed call on the next turn.
    fn ours_later(&self) -> u64 {
        let reactor = self.ours.reactor().clone();
        let sum = self.ours.block_on(async move {
            let mut sum = 0;
            for i in 0..AWAITS {
                let (d, trigger) = deferred::<u64>();
                reactor.call_later(Duration::ZERO, move || trigger.callback(i));
                sum += d.await.unwrap_or(0);
            }
            sum
        });
        sum.expect("the run ends")
    }

    /// Tokio: `AWAITS` oneshots whose value was sent before the await.
    fn tokio_fired(&self) -> u64 {
        self.tokio.block_on(async {
            let mut sum = 0;
            for i in 0..AWAITS {
                let (sender, receiver) = oneshot::channel();
                let _ = sender.send(black_box(i));
                sum += receiver.await.unwrap_or(0);
            }
            sum
        })
    }

    /// Tokio: `AWAITS` oneshots sent by a task spawned just before.
    fn tokio_later(&self) -> u64 {
        LocalSet::new().block_on(&self.tokio, async {
            let mut sum = 0;
            for i in 0..AWAITS {
                let (sender, receiver) = oneshot::channel();
                tokio::task::spawn_local(async move {
                    let _ = sender.send(i);
                });
                sum += receiver.await.unwrap_or(0);
            }
            sum
        })
    }

    /// Ours: spawn `TASKS` tasks, then await each one's deferred.
    fn ours_spawn(&self) -> u64 {
        let rt = self.ours.clone();
        let sum = self.ours.block_on(async move {
            let tasks: Vec<_> = (0..TASKS).map(|i| rt.spawn(async move { i })).collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await.unwrap_or(0);
            }
            sum
        });
        sum.expect("the run ends")
    }

    /// Tokio: spawn `TASKS` local tasks, then await each one's handle.
    fn tokio_spawn(&self) -> u64 {
        LocalSet::new().block_on(&self.tokio, async {
            let tasks: Vec<_> = (0..TASKS)
                .map(|i| tokio::task::spawn_local(async move { i }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await.unwrap_or(0);
            }
            sum
        })
    }
}

/// The sum of 0..n: what every way must return.
fn sum_below(n: u64) -> u64 {
    n * (n - 1) / 2
}

fn benchmarks(criterion: &mut Criterion) {
    let runtimes = Runtimes::new();
    type Way = fn(&Runtimes) -> u64;
    let awaits: [(&str, &str, Way); 4] = [
        ("ours", "fired", Runtimes::ours_fired),
        ("tokio", "fired", Runtimes::tokio_fired),
        ("ours", "later", Runtimes::ours_later),
        ("tokio", "later", Runtimes::tokio_later),
    ];
    let mut group = criterion.benchmark_group(AWAIT);
    group
        .sample_size(SAMPLES)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT);
    for (who, case, run) in awaits {
        assert_eq!(run(&runtimes), sum_below(AWAITS), "{who} {case}");
        group.bench_function(BenchmarkId::new(who, case), |b| b.iter(|| run(&runtimes)));
    }
    group.finish();

    let spawns: [(&str, Way); 2] = [
        ("ours", Runtimes::ours_spawn),
        ("tokio", Runtimes::tokio_spawn),
    ];
    let mut group = criterion.benchmark_group(SPAWN);
    group
        .sample_size(SAMPLES)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT);
    for (who, run) in spawns {
        assert_eq!(run(&runtimes), sum_below(TASKS), "{who}");
        group.bench_function(BenchmarkId::new(who, TASKS), |b| b.iter(|| run(&runtimes)));
    }
    group.finish();
}

/// Prints the table from the estimates criterion wrote in this run.
fn print_table(estimates: &Estimates) {
    let per = |group: &str, who: &str, parameter: &str, n: u64| {
        estimates
            .mean_ns(group, who, parameter)
            .map(|ns| ns / n as f64)
    };
    let rows = [
        ("await, fired already", AWAIT, "fired", AWAITS),
        ("await, fired on the next turn", AWAIT, "later", AWAITS),
        ("spawn and complete a task", SPAWN, "100000", TASKS),
    ];
    println!();
    println!(
        "runtime: part 17's runtime against tokio current-thread (from {}/{{{AWAIT},{SPAWN}}})",
        estimates.home().display()
    );
    println!();
    println!(
        "{:<32}  {:>10}  {:>10}  {:>11}",
        "each", "ours", "tokio", "ours/tokio"
    );
    for (what, group, parameter, n) in rows {
        let (ours, tokio) = (
            per(group, "ours", parameter, n),
            per(group, "tokio", parameter, n),
        );
        println!(
            "{what:<32}  {:>10}  {:>10}  {:>11}",
            nanos(ours),
            nanos(tokio),
            ratio(ours, tokio)
        );
    }
    println!("(-: not measured in this run)");
}

fn main() {
    let started = SystemTime::now();
    let mut criterion = Criterion::default().configure_from_args();
    benchmarks(&mut criterion);
    criterion.final_summary();
    // `--list` output is read by tools: add nothing to it.
    if estimates::listing() {
        return;
    }
    print_table(&Estimates::since(started));
}
