//! Part 1's exercise solutions (`examples/part01-ex0*.rs`), checked against
//! what the chapter's answers claim. Exercises 1 and 2 really run, with
//! short steps, one test at a time; exercises 3 and 4 are computed.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use part_01::task::DEFAULT_TICK;
use part_01::{Step, demo_tasks, run_asynchronous, run_threaded};

#[allow(dead_code)]
#[path = "../examples/part01-ex01.rs"]
mod ex01;
#[allow(dead_code)]
#[path = "../examples/part01-ex02.rs"]
mod ex02;
#[allow(dead_code)]
#[path = "../examples/part01-ex03.rs"]
mod ex03;
#[allow(dead_code)]
#[path = "../examples/part01-ex04.rs"]
mod ex04;

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// Fails the current round with the condition and a message.
macro_rules! ensure {
    ($cond:expr, $($why:tt)+) => {
        let holds: bool = $cond;
        if !holds {
            return Err(format!("{}: {}", stringify!($cond), format!($($why)+)));
        }
    };
}

/// Measures with `run` and checks with `check`, up to `rounds` times, until
/// a round passes. Timed tests take turns, so they do not compete with one
/// another for the CPU, and a busy moment on the machine costs a round, not
/// the test; code that breaks a claim breaks it in every round.
fn holds_in_some_round<T>(
    rounds: usize,
    run: impl Fn() -> T,
    check: impl Fn(&T) -> Result<(), String>,
) {
    static TURN: Mutex<()> = Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    let mut failures = Vec::new();
    for _ in 0..rounds {
        match check(&run()) {
            Ok(()) => return,
            Err(why) => failures.push(why),
        }
    }
    panic!("failed in all {rounds} rounds:\n{}", failures.join("\n"));
}

#[test]
fn ex1_with_only_work_async_is_no_faster_than_sync_and_threads_need_cores() {
    let work = ms(30);
    let tasks = ex01::tasks(work);
    assert_eq!(tasks.len(), 3);
    assert!(
        tasks
            .iter()
            .all(|t| t.work() == work && t.waiting().is_zero())
    );
    let all_work = work * 3;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    holds_in_some_round(
        8,
        || ex01::run_models(&tasks).map(|timeline| timeline.total),
        |&[sync, threaded, asynchronous]| {
            let totals = format!("sync {sync:?}, threaded {threaded:?}, async {asynchronous:?}");
            // Synchronous ≈ asynchronous ≈ all the work end to end.
            for total in [sync, asynchronous] {
                ensure!(total >= all_work, "{totals}");
                ensure!(ratio(total, all_work) < 2.0, "{totals}");
            }
            let async_over_sync = ratio(asynchronous, sync);
            ensure!(
                (0.75..1.33).contains(&async_over_sync),
                "async is {async_over_sync:.2} × sync: {totals}"
            );
            // Threads beat the single thread only with more than one core.
            ensure!(threaded >= work, "{totals}");
            if cores > 1 {
                let threaded_over_sync = ratio(threaded, sync);
                ensure!(
                    threaded_over_sync < 0.8,
                    "threaded is {threaded_over_sync:.2} × sync on {cores} cores: {totals}"
                );
            }
            Ok(())
        },
    );
}

#[test]
fn ex2_a_hog_delays_the_asynchronous_loop_but_not_the_threads() {
    let tick = ms(15);
    let hog_work = tick * 8;
    let demo = demo_tasks(tick);
    let with_hog = ex02::tasks_with_hog(tick);
    assert_eq!(with_hog.len(), 4);
    assert_eq!(with_hog[..3], demo[..]);
    assert_eq!(with_hog[3].steps, [Step::Wait(tick), Step::Work(hog_work)]);

    holds_in_some_round(
        5,
        || {
            [
                run_threaded(&demo),
                run_asynchronous(&demo),
                run_threaded(&with_hog),
                run_asynchronous(&with_hog),
            ]
        },
        |[threaded, asynchronous, threaded_hog, asynchronous_hog]| {
            let totals = format!(
                "threaded {:?} → {:?}, async {:?} → {:?}",
                threaded.total, threaded_hog.total, asynchronous.total, asynchronous_hog.total
            );
            // Ideally the asynchronous total grows by 6 of the hog's 8 ticks,
            // and the threaded one not at all.
            let async_growth = asynchronous_hog.total.saturating_sub(asynchronous.total);
            let threaded_growth = threaded_hog.total.saturating_sub(threaded.total);
            ensure!(async_growth > hog_work / 2, "{totals}");
            ensure!(threaded_growth < hog_work / 2, "{totals}");

            // The other tasks pile up behind the hog, ready but unable to run.
            let ready = ex02::time_ready(asynchronous_hog);
            let ready_before = ex02::time_ready(asynchronous);
            ensure!(ready > Duration::ZERO, "{ready:?}");
            ensure!(
                ready > ready_before + hog_work / 2,
                "ready {ready:?} with the hog, {ready_before:?} without"
            );
            Ok(())
        },
    );
}

#[test]
fn ex3_ideal_totals_per_number_of_tasks() {
    // One task: work 10 ms, wait 1 s, work 10 ms.
    let one = ms(1020);
    // The asynchronous loop: the last task begins its wait once all the
    // first pieces of work (10 ms each) are done, and ends 1 s + 10 ms
    // later, until the first pieces no longer fit in one wait (101 tasks);
    // from then on it is all the work end to end, 20 ms per task.
    let expected_async = |n: u64| ms(1010 + 10 * n).max(ms(20 * n));
    for n in [1, 2, 4, 64, 100, 101, 102, 128, 256] {
        let [sync, threaded, asynchronous] = ex03::totals(n);
        assert_eq!(sync, one * n as u32, "synchronous, N = {n}");
        assert_eq!(threaded, one, "threaded, N = {n}");
        assert_eq!(
            asynchronous,
            expected_async(n as u64),
            "asynchronous, N = {n}"
        );
    }
    // Some of the numbers the example prints.
    assert_eq!(ex03::totals(64)[2], ms(1650));
    assert_eq!(ex03::totals(128)[2], ms(2560));
    assert_eq!(ex03::totals(256)[2], ms(5120));

    // How each model grows with one more task, at every N the example prints.
    for n in ex03::COUNTS {
        let [s0, t0, a0] = ex03::totals(n);
        let [s1, t1, a1] = ex03::totals(n + 1);
        assert_eq!(s1 - s0, one, "N = {n}");
        assert_eq!(t1, t0, "N = {n}");
        let step = if n < 101 { ms(10) } else { ms(20) };
        assert_eq!(a1 - a0, step, "N = {n}");
    }
}

#[test]
fn ex4_the_order_changes_the_ideal_total_from_1_4_to_1_6_seconds() {
    let tasks = demo_tasks(DEFAULT_TICK);
    let timelines = ex04::every_order(&tasks);
    assert_eq!(timelines.len(), 6);
    let mut orders: Vec<&Vec<String>> = timelines.iter().map(|t| &t.rows).collect();
    orders.sort();
    orders.dedup();
    assert_eq!(orders.len(), 6, "six different orders: {orders:?}");

    let totals: Vec<Duration> = timelines.iter().map(|t| t.total).collect();
    let min = totals.iter().min().copied().unwrap();
    let max = totals.iter().max().copied().unwrap();
    assert_eq!(min, ms(1400), "{totals:?}");
    assert_eq!(max, ms(1600), "{totals:?}");
    assert_ne!(min, max);

    // The first order is the demo's own, with the demo's total.
    assert_eq!(timelines[0].rows, ["task 1", "task 2", "task 3"]);
    assert_eq!(totals[0], part_01::asynchronous::ideal(&tasks).total);
    for timeline in &timelines {
        assert!(ex04::time_ready(timeline) > Duration::ZERO);
    }
}
