//! Retrying's rules on a virtual clock, the backoff's delays, and the
//! tokio loop's rules in tokio's paused time.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{CancelledError, Deferred, Failure};
use part_17::Runtime;
use part_19::pretend::{Log, slow};
use part_19::retry::{Backoff, Retrying};
use part_19::tokio_retry;

mod support;
use support::{count_unhandled, paused_runtime};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---- the delays ----

#[test]
fn delays_grow_by_the_factor_up_to_the_cap_and_stop_after_the_retries() {
    let delays: Vec<Duration> = Backoff::exponential(ms(100))
        .max(ms(500))
        .retries(6)
        .collect();
    assert_eq!(
        delays,
        [ms(100), ms(200), ms(400), ms(500), ms(500), ms(500)]
    );
    let constant: Vec<Duration> = Backoff::exponential(ms(300)).factor(1).retries(3).collect();
    assert_eq!(constant, [ms(300); 3]);
    assert_eq!(Backoff::exponential(ms(1)).count(), 10, "ten by default");
    assert_eq!(Backoff::exponential(ms(1)).retries(0).next(), None);
}

#[test]
fn jitter_shortens_each_delay_by_at_most_its_fraction() {
    let plain: Vec<Duration> = Backoff::exponential(ms(100)).retries(8).collect();
    let jittered: Vec<Duration> = Backoff::exponential(ms(100))
        .retries(8)
        .jitter(0.5, 1)
        .collect();
    for (plain, jittered) in plain.iter().zip(&jittered) {
        assert!(
            *jittered <= *plain && *jittered >= plain.mul_f64(0.5),
            "{jittered:?} of {plain:?}"
        );
    }
    assert_ne!(plain, jittered, "some delay was shortened");
}

#[test]
fn one_seed_gives_one_sequence_and_another_seed_another() {
    let with =
        |seed| -> Vec<Duration> { Backoff::exponential(ms(1000)).jitter(1.0, seed).collect() };
    assert_eq!(with(7), with(7));
    assert_ne!(with(7), with(8));
}

#[test]
fn a_jitter_out_of_range_is_clamped_and_nan_means_none() {
    let plain: Vec<Duration> = Backoff::exponential(ms(100)).retries(4).collect();
    let nan: Vec<Duration> = Backoff::exponential(ms(100))
        .retries(4)
        .jitter(f64::NAN, 3)
        .collect();
    assert_eq!(nan, plain);
    let over: Vec<Duration> = Backoff::exponential(ms(100))
        .retries(4)
        .jitter(5.0, 3)
        .collect();
    let one: Vec<Duration> = Backoff::exponential(ms(100))
        .retries(4)
        .jitter(1.0, 3)
        .collect();
    assert_eq!(over, one);
}

#[test]
fn a_delay_never_overflows() {
    let last = Backoff::exponential(Duration::from_secs(u64::MAX / 2))
        .max(Duration::MAX)
        .retries(4)
        .last();
    assert_eq!(last, Some(Duration::MAX));
}

// ---- retrying on our runtime ----

/// A runtime on a virtual clock, and a log of its pretend work.
fn setup() -> (Reactor, Runtime, Log) {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap();
    let runtime = Runtime::new(&reactor);
    let log = Log::quiet(&reactor);
    (reactor, runtime, log)
}

/// An attempt function that fails with `failures` (in order) and then
/// succeeds with its number; each attempt takes 100 ms. Counts its calls.
fn attempts(
    log: &Log,
    failures: Vec<&'static str>,
) -> (impl FnMut() -> Deferred<usize> + 'static, Rc<Cell<usize>>) {
    let calls = Rc::new(Cell::new(0));
    let (counted, log) = (Rc::clone(&calls), log.clone());
    let attempt = move || {
        let n = counted.get() + 1;
        counted.set(n);
        let outcome = match failures.get(n - 1) {
            Some(message) => Err(Failure::msg(*message)),
            None => Ok(n),
        };
        slow(&log, &format!("attempt {n}"), ms(100), outcome)
    };
    (attempt, calls)
}

#[test]
fn it_retries_after_each_delay_until_a_value_comes() {
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec!["busy", "busy"]);
    let delays = Backoff::exponential(ms(1000)).retries(5);
    let value = reactor
        .run_until(Retrying::new(delays).call(&runtime, attempt))
        .unwrap();
    assert_eq!(value.unwrap(), 3);
    assert_eq!(calls.get(), 3);
    assert_eq!(
        log.lines(),
        [
            "0.1 s  attempt 1: fails",
            "1.2 s  attempt 2: fails",
            "3.3 s  attempt 3: done"
        ],
        "attempts 100 ms long, after waits of 1 s and 2 s"
    );
}

#[test]
fn a_first_success_needs_no_delay() {
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec![]);
    let d = Retrying::new(Backoff::exponential(ms(1000))).call(&runtime, attempt);
    assert_eq!(reactor.run_until(d).unwrap().unwrap(), 1);
    assert_eq!((calls.get(), reactor.now()), (1, ms(100)));
}

#[test]
fn a_failure_not_worth_retrying_ends_it_at_once_with_that_failure() {
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec!["busy", "no such poem", "busy"]);
    let tested = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&tested);
    let d = Retrying::new(Backoff::exponential(ms(1000)))
        .retry_if(move |failure: &Failure| {
            seen.borrow_mut().push(failure.message());
            failure.message() == "busy"
        })
        .call(&runtime, attempt);
    let failure = reactor.run_until(d).unwrap().unwrap_err();
    assert_eq!(failure.message(), "no such poem");
    assert_eq!(calls.get(), 2);
    assert_eq!(*tested.borrow(), ["busy", "no such poem"]);
}

#[test]
fn when_the_delays_run_out_it_fails_with_the_last_failure() {
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec!["one", "two", "three", "four"]);
    let d = Retrying::new(vec![ms(10), ms(20)]).call(&runtime, attempt);
    let failure = reactor.run_until(d).unwrap().unwrap_err();
    assert_eq!(failure.message(), "three");
    assert_eq!(calls.get(), 3, "two delays: three attempts");
    assert_eq!(reactor.now(), ms(330));
}

/// Cancels `d` at `at` and runs until it has fired.
fn cancel_at<T: 'static>(reactor: &Reactor, d: Deferred<T>, at: Duration) -> Result<T, Failure> {
    let handle = d.cancel_handle();
    let _ = reactor.call_later(at, move || handle.cancel());
    reactor.run_until(d).unwrap()
}

#[test]
fn a_cancel_during_a_delay_cancels_the_delay_and_no_attempt_follows() {
    let (_guard, reported) = count_unhandled();
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec!["busy", "busy"]);
    let d = Retrying::new(Backoff::exponential(ms(1000))).call(&runtime, attempt);
    let failure = cancel_at(&reactor, d, ms(500)).unwrap_err();
    assert!(failure.check::<CancelledError>(), "{failure}");
    assert_eq!(reactor.now(), ms(500));
    assert!(
        reactor.pending_calls().iter().all(|call| !call.active()),
        "the delay's timer was cancelled"
    );
    reactor.run().unwrap(); // nothing left: returns at once on a virtual clock
    assert_eq!(calls.get(), 1);
    assert_eq!(runtime.tasks(), 0);
    assert_eq!(reactor.now(), ms(500));
    assert_eq!(reported.get(), 0);
}

#[test]
fn a_cancel_during_an_attempt_cancels_the_attempt() {
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec!["busy", "busy"]);
    let d = Retrying::new(Backoff::exponential(ms(1000))).call(&runtime, attempt);
    let failure = cancel_at(&reactor, d, ms(1150)).unwrap_err();
    assert!(failure.check::<CancelledError>());
    reactor.run().unwrap();
    assert_eq!(calls.get(), 2);
    assert_eq!(
        log.lines(),
        ["0.1 s  attempt 1: fails", "1.1 s  attempt 2: stopped"]
    );
}

#[test]
fn a_cancel_ends_with_cancelled_error_even_if_the_attempts_canceller_answers() {
    let (_guard, reported) = count_unhandled();
    let (reactor, runtime, _log) = setup();
    let calls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&calls);
    let attempt = move || {
        counted.set(counted.get() + 1);
        // Work that never ends by itself, whose canceller answers.
        let (d, _) = Deferred::with_canceller(|t: &part_07::Trigger<u32>| {
            let _ = t.callback(99);
        });
        d
    };
    let d = Retrying::new(Backoff::exponential(ms(1000))).call(&runtime, attempt);
    let failure = cancel_at(&reactor, d, ms(500)).unwrap_err();
    assert!(failure.check::<CancelledError>(), "{failure}");
    assert_eq!((calls.get(), runtime.tasks()), (1, 0));
    assert_eq!(reported.get(), 0);
}

#[test]
fn a_cancel_after_the_value_changes_nothing() {
    let (reactor, runtime, log) = setup();
    let (attempt, _) = attempts(&log, vec![]);
    let d = Retrying::new(Backoff::exponential(ms(1000))).call(&runtime, attempt);
    let handle = d.cancel_handle();
    let value = reactor.run_until(d).unwrap();
    handle.cancel();
    assert_eq!(value.unwrap(), 1);
}

#[test]
fn the_first_attempt_starts_before_call_returns() {
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec![]);
    let d = Retrying::new(Backoff::exponential(ms(1000))).call(&runtime, attempt);
    assert_eq!(calls.get(), 1);
    assert_eq!(reactor.run_until(d).unwrap().unwrap(), 1);
}

#[test]
fn a_time_limit_stops_the_retrying_with_timed_out() {
    let (reactor, runtime, log) = setup();
    let (attempt, calls) = attempts(&log, vec!["busy"; 9]);
    let d = Retrying::new(Backoff::exponential(ms(1000)))
        .call(&runtime, attempt)
        .add_timeout(&reactor, ms(2000));
    let failure = reactor.run_until(d).unwrap().unwrap_err();
    assert!(failure.check::<part_07::TimedOut>(), "{failure}");
    reactor.run().unwrap();
    assert_eq!(calls.get(), 2, "attempts at 0 s and 1.1 s, none after 2 s");
    assert_eq!(
        reactor.now(),
        ms(2000),
        "the 2 s delay's timer was cancelled"
    );
}

// ---- the tokio loop ----

/// Runs `tokio_retry::retry` over `answers` (attempts of 100 ms each) and
/// returns the outcome, the attempts' start times in ms, and the end time.
fn tokio_run(
    answers: Vec<Result<u32, &'static str>>,
    delays: Vec<Duration>,
    worth_retrying: fn(&&'static str) -> bool,
) -> (Result<u32, &'static str>, Vec<u128>, u128) {
    paused_runtime().block_on(async move {
        let start = tokio::time::Instant::now();
        let starts = Rc::new(RefCell::new(Vec::new()));
        let answers = Rc::new(RefCell::new(answers.into_iter()));
        let outcome = tokio_retry::retry(delays, worth_retrying, || {
            let (starts, answers) = (Rc::clone(&starts), Rc::clone(&answers));
            async move {
                starts.borrow_mut().push(start.elapsed().as_millis());
                tokio::time::sleep(ms(100)).await;
                answers.borrow_mut().next().unwrap_or(Err("out of answers"))
            }
        })
        .await;
        let starts = starts.borrow().clone();
        (outcome, starts, start.elapsed().as_millis())
    })
}

#[test]
fn on_tokio_it_retries_after_each_delay_until_ok() {
    let (outcome, starts, end) = tokio_run(
        vec![Err("busy"), Err("busy"), Ok(7)],
        vec![ms(1000), ms(2000), ms(4000)],
        |_| true,
    );
    assert_eq!(outcome, Ok(7));
    assert_eq!(starts, [0, 1100, 3200]);
    assert_eq!(end, 3300);
}

#[test]
fn on_tokio_an_error_not_worth_retrying_or_the_last_one_ends_it() {
    let busy_only: fn(&&'static str) -> bool = |e| *e == "busy";
    let (outcome, starts, _) = tokio_run(
        vec![Err("busy"), Err("gone"), Ok(1)],
        vec![ms(10); 5],
        busy_only,
    );
    assert_eq!((outcome, starts.len()), (Err("gone"), 2));
    let (outcome, starts, _) =
        tokio_run(vec![Err("a"), Err("b"), Err("c")], vec![ms(10); 2], |_| {
            true
        });
    assert_eq!((outcome, starts.len()), (Err("c"), 3));
}

#[test]
fn on_tokio_dropping_the_future_stops_the_retries() {
    let calls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&calls);
    let timed_out = paused_runtime().block_on(async move {
        let retrying = tokio_retry::retry(
            vec![ms(1000); 5],
            |_: &&str| true,
            move || {
                counted.set(counted.get() + 1);
                async { Err::<u32, _>("busy") }
            },
        );
        tokio::time::timeout(ms(1500), retrying).await.is_err()
    });
    assert!(timed_out);
    assert_eq!(
        calls.get(),
        2,
        "attempts at 0 s and 1 s, none after the drop"
    );
}
