//! `ListObserver` and the "when"s built on it: events told as they happen,
//! members appended at any time, re-entrant observers, failures ending in
//! the group, cancel; and the futures counterparts on paused tokio time.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use part_07::{CancelledError, Deferred, Failure, Trigger, deferred, fail, on_unhandled, succeed};
use part_18::ListObserver;
use part_18::observer::{
    AllFailed, NotEnough, when_all_settled, when_first_error, when_first_success, when_n_of,
};
use part_18::tokio_observer::first_n;

mod common;
use common::watch;

type Log = Rc<RefCell<Vec<String>>>;

fn line(index: usize, outcome: &Result<u32, Failure>) -> String {
    match outcome {
        Ok(v) => format!("{index}: {v}"),
        Err(f) => format!("{index}: {}", f.short_type_name()),
    }
}

fn logging(log: &Log, who: &'static str) -> impl FnMut(usize, &Result<u32, Failure>) + 'static {
    let log = Rc::clone(log);
    move |index, outcome| {
        log.borrow_mut()
            .push(format!("{who} {}", line(index, outcome)))
    }
}

fn members(n: usize) -> (Vec<Deferred<u32>>, Vec<Trigger<u32>>) {
    (0..n).map(|_| deferred()).unzip()
}

#[test]
fn observers_are_told_each_outcome_as_it_happens() {
    let (ds, ts) = members(3);
    let group = ListObserver::new();
    let log = Log::default();
    group.observe(logging(&log, "a"));
    for d in ds {
        group.append(d);
    }
    assert_eq!(group.pending(), 3);
    ts[2].callback(20).unwrap();
    assert_eq!(*log.borrow(), ["a 2: 20"]);
    ts[0].errback(Failure::msg("down")).unwrap();
    ts[1].callback(10).unwrap();
    assert_eq!(*log.borrow(), ["a 2: 20", "a 0: Message", "a 1: 10"]);
    assert_eq!(group.pending(), 0);
    let history: Vec<String> = group.history().iter().map(|(i, o)| line(*i, o)).collect();
    assert_eq!(history, ["2: 20", "0: Message", "1: 10"], "in firing order");
}

#[test]
fn members_may_be_appended_at_any_time_even_fired_ones() {
    let group = ListObserver::new();
    let log = Log::default();
    group.observe(logging(&log, "a"));
    assert_eq!(group.append(succeed(1)), 0);
    assert_eq!(*log.borrow(), ["a 0: 1"], "told at once");
    let (d, t) = deferred();
    assert_eq!(group.append(d), 1);
    assert_eq!(group.append(fail(Failure::msg("x"))), 2);
    t.callback(5).unwrap();
    assert_eq!(*log.borrow(), ["a 0: 1", "a 2: Message", "a 1: 5"]);
    assert_eq!(group.len(), 3);
}

#[test]
fn a_late_observer_hears_only_later_events_and_history_has_the_rest() {
    let group = ListObserver::new();
    group.append(succeed(1));
    let log = Log::default();
    group.observe(logging(&log, "late"));
    group.append(succeed(2));
    assert_eq!(*log.borrow(), ["late 1: 2"]);
    assert_eq!(group.history().len(), 2);
}

#[test]
fn an_observer_that_appends_hears_the_new_event_after_the_current_one() {
    let group = ListObserver::new();
    let log = Log::default();
    let more = group.clone();
    let log1 = Rc::clone(&log);
    group.observe(move |index, outcome| {
        log1.borrow_mut()
            .push(format!("a {}", line(index, outcome)));
        if index == 0 {
            more.append(succeed(99)); // fired already: queued, not nested
        }
    });
    group.observe(logging(&log, "b"));
    group.append(succeed(1));
    assert_eq!(*log.borrow(), ["a 0: 1", "b 0: 1", "a 1: 99", "b 1: 99"]);
}

#[test]
fn an_observer_added_while_others_are_told_hears_only_what_happens_after() {
    // Observer a, told of member 0, appends a member that has fired
    // already: its event happens there and waits its turn. Observer b,
    // told of member 0 next, adds observer c. Member 1's event happened
    // before c existed, so c finds it in the history, not in a call;
    // member 2, fired later, reaches c.
    let group = ListObserver::new();
    let log = Log::default();
    let (more, log_a) = (group.clone(), Rc::clone(&log));
    group.observe(move |index, outcome| {
        log_a
            .borrow_mut()
            .push(format!("a {}", line(index, outcome)));
        if index == 0 {
            more.append(succeed(99));
        }
    });
    let (later, log_b, log_c) = (group.clone(), Rc::clone(&log), Rc::clone(&log));
    let mut added = false;
    group.observe(move |index, outcome| {
        log_b
            .borrow_mut()
            .push(format!("b {}", line(index, outcome)));
        if !added {
            added = true;
            later.observe(logging(&log_c, "c"));
        }
    });
    group.append(succeed(1));
    assert_eq!(*log.borrow(), ["a 0: 1", "b 0: 1", "a 1: 99", "b 1: 99"]);
    assert_eq!(group.history().len(), 2, "c can read member 1 there");
    group.append(succeed(5));
    assert_eq!(&log.borrow()[4..], ["a 2: 5", "b 2: 5", "c 2: 5"]);
}

#[test]
fn failures_end_in_the_group_and_are_not_reported_as_unhandled() {
    let reported = Rc::new(Cell::new(0));
    let counter = Rc::clone(&reported);
    let _guard = on_unhandled(move |_| counter.set(counter.get() + 1));
    let group: ListObserver<u32> = ListObserver::new();
    let (d, t) = deferred();
    group.append(d);
    t.errback(Failure::msg("lost")).unwrap();
    group.append(fail(Failure::msg("lost too")));
    drop(group);
    assert_eq!(reported.get(), 0);
}

#[test]
fn cancel_pending_cancels_the_members_not_fired_yet() {
    let (ds, ts) = members(2);
    let group = ListObserver::new();
    let log = Log::default();
    group.observe(logging(&log, "a"));
    for d in ds {
        group.append(d);
    }
    ts[0].callback(1).unwrap();
    group.cancel_pending();
    assert_eq!(*log.borrow(), ["a 0: 1", "a 1: CancelledError"]);
    assert_eq!(group.pending(), 0);
}

#[test]
fn first_success_ignores_failures_until_one_succeeds() {
    let (ds, ts) = members(3);
    let got = watch(when_first_success(ds));
    ts[1].errback(Failure::msg("a")).unwrap();
    assert!(got.borrow().is_none(), "a failure alone is not the answer");
    ts[2].callback(7).unwrap();
    assert_eq!(*got.borrow(), Some(Ok("(2, 7)".into())));
    ts[0].callback(8).unwrap(); // later outcomes change nothing
    assert_eq!(*got.borrow(), Some(Ok("(2, 7)".into())));
}

#[test]
fn first_success_fails_with_every_failure_in_member_order_when_all_fail() {
    let (ds, ts) = members(3);
    let answer = when_first_success(ds).add_errback(|f: Failure| {
        let all = f.downcast_ref::<AllFailed>().expect("AllFailed");
        let messages: Vec<String> = all.0.iter().map(|f| f.message()).collect();
        Err(Failure::msg(messages.join(",")))
    });
    let got = watch(answer);
    for (i, name) in [(2, "c"), (0, "a"), (1, "b")] {
        ts[i].errback(Failure::msg(name)).unwrap();
    }
    assert_eq!(*got.borrow(), Some(Err("Message: a,b,c".into())));
    let none = watch(when_first_success(Vec::<Deferred<u32>>::new()));
    assert_eq!(
        *none.borrow(),
        Some(Err("AllFailed: all 0 members failed".into()))
    );
}

#[test]
fn first_error_fails_at_once_and_otherwise_gives_the_values_in_order() {
    let (ds, ts) = members(3);
    let got = watch(when_first_error(ds));
    ts[2].callback(3).unwrap();
    ts[1].errback(Failure::msg("broken")).unwrap();
    assert_eq!(
        *got.borrow(),
        Some(Err("Message: broken".into())),
        "before member 0"
    );
    ts[0].callback(1).unwrap();

    let (ds, ts) = members(3);
    let got = watch(when_first_error(ds));
    for i in [2, 0, 1] {
        ts[i].callback(i as u32 * 10).unwrap();
    }
    assert_eq!(*got.borrow(), Some(Ok("[0, 10, 20]".into())));
    assert_eq!(
        *watch(when_first_error(Vec::<Deferred<u32>>::new())).borrow(),
        Some(Ok("[]".into()))
    );
}

#[test]
fn all_settled_waits_for_everyone_and_never_fails() {
    let (ds, ts) = members(3);
    let answer = when_all_settled(ds).add_callback(|all: Vec<Result<u32, Failure>>| {
        Ok(all
            .iter()
            .enumerate()
            .map(|(i, o)| line(i, o))
            .collect::<Vec<_>>())
    });
    let got = watch(answer);
    ts[1].errback(Failure::msg("x")).unwrap();
    ts[0].callback(1).unwrap();
    assert!(got.borrow().is_none());
    ts[2].callback(3).unwrap();
    assert_eq!(
        *got.borrow(),
        Some(Ok(r#"["0: 1", "1: Message", "2: 3"]"#.into()))
    );
}

#[test]
fn n_of_m_fires_with_the_first_n_either_way_in_firing_order() {
    let (ds, ts) = members(4);
    let answer = when_n_of(2, ds).add_callback(|two: Vec<(usize, Result<u32, Failure>)>| {
        Ok(two.iter().map(|(i, o)| line(*i, o)).collect::<Vec<_>>())
    });
    let got = watch(answer);
    ts[3].errback(Failure::msg("x")).unwrap();
    assert!(got.borrow().is_none());
    ts[1].callback(1).unwrap();
    assert_eq!(*got.borrow(), Some(Ok(r#"["3: Message", "1: 1"]"#.into())));
    ts[0].callback(0).unwrap();

    let (ds, _ts) = members(2);
    let too_many = watch(when_n_of(3, ds));
    let expected = NotEnough {
        wanted: 3,
        members: 2,
    }
    .to_string();
    assert_eq!(
        *too_many.borrow(),
        Some(Err(format!("NotEnough: {expected}")))
    );
    let (ds, _ts) = members(2);
    assert_eq!(*watch(when_n_of(0, ds)).borrow(), Some(Ok("[]".into())));
}

#[test]
fn cancelling_a_when_cancels_the_members_still_running() {
    let cancelled = Rc::new(Cell::new(0));
    let ds: Vec<Deferred<u32>> = (0..3)
        .map(|_| {
            let count = Rc::clone(&cancelled);
            Deferred::with_canceller(move |_: &Trigger<u32>| count.set(count.get() + 1)).0
        })
        .collect();
    let answer = when_first_success(ds);
    let handle = answer.cancel_handle();
    let got = watch(answer);
    handle.cancel();
    assert_eq!(cancelled.get(), 3);
    let message = CancelledError.to_string();
    assert_eq!(
        *got.borrow(),
        Some(Err(format!("CancelledError: {message}")))
    );
}

#[tokio::test(start_paused = true)]
async fn on_tokio_first_n_takes_the_earliest_and_drops_the_rest() {
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let futures: Vec<_> = [3u64, 1, 2]
        .into_iter()
        .map(|secs| {
            let finished = std::sync::Arc::clone(&finished);
            async move {
                tokio::time::sleep(Duration::from_secs(secs)).await;
                finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                secs
            }
        })
        .collect();
    let start = tokio::time::Instant::now();
    assert_eq!(first_n(2, futures).await, [(1, 1), (2, 2)]);
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(
        finished.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "the third was dropped"
    );

    // select_ok: first success, errors skipped; all failed: the last error.
    use futures::future::{join_all, ready, select_ok, try_join_all};
    let tries = vec![ready(Err::<u32, &str>("a")), ready(Ok(7))];
    assert_eq!(select_ok(tries).await.map(|(v, _)| v), Ok(7));
    let fails = vec![ready(Err::<u32, &str>("a")), ready(Err("b"))];
    assert_eq!(select_ok(fails).await.map(|(v, _)| v), Err("b"));
    // ...and it hands the futures it did not finish back to the caller.
    let three = vec![ready(Err::<u32, &str>("a")), ready(Ok(7)), ready(Ok(8))];
    let (value, rest) = select_ok(three).await.expect("one succeeds");
    assert_eq!((value, rest.len()), (7, 1), "the failed one is gone");
    assert_eq!(join_all(rest).await, [Ok(8)]);
    // try_join_all: the values in order, or the first error.
    let ok = try_join_all([ready(Ok::<_, &str>(1)), ready(Ok(2))]).await;
    assert_eq!(ok, Ok(vec![1, 2]));
    // join_all: every outcome in order, never failing itself.
    let all = join_all([ready(Err::<u32, &str>("x")), ready(Ok(2))]).await;
    assert_eq!(all, [Err("x"), Ok(2)]);
}
