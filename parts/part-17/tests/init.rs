//! `AsyncInit`: calls wait for the set-up and run in order, calls after
//! it run at once, a failed set-up fails every call, a cancelled call
//! never runs, and awaiting it on part 17's runtime (virtual time).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{CancelledError, Deferred, Failure, Trigger, deferred};
use part_17::{AsyncInit, InitFailed, Runtime};

type Log = Rc<RefCell<Vec<String>>>;

/// Calls `add(n)` on the object and logs `who: result` or `who: error`.
fn call(init: &AsyncInit<Vec<u32>>, log: &Log, who: &'static str, n: u32) -> Deferred<()> {
    let (log, ran) = (Rc::clone(log), Rc::clone(log));
    init.call(move |v: &Vec<u32>| {
        ran.borrow_mut().push(format!("{who} runs"));
        Ok(v.iter().sum::<u32>() + n)
    })
    .add_both(move |outcome: Result<u32, Failure>| {
        let shown = match outcome {
            Ok(sum) => sum.to_string(),
            Err(f) if f.check::<InitFailed>() => {
                let inner = f.downcast_ref::<InitFailed>().unwrap().0.message();
                format!("InitFailed({inner})")
            }
            Err(f) => f.short_type_name().to_string(),
        };
        log.borrow_mut().push(format!("{who}: {shown}"));
    })
}

fn setting_up() -> (AsyncInit<Vec<u32>>, Trigger<Vec<u32>>) {
    let (setup, trigger) = deferred();
    (AsyncInit::new(setup), trigger)
}

#[test]
fn calls_before_the_set_up_wait_and_run_in_order() {
    let (init, trigger) = setting_up();
    let log = Log::default();
    for (who, n) in [("a", 1), ("b", 2), ("c", 3)] {
        drop(call(&init, &log, who, n));
    }
    assert_eq!(init.waiting(), 3);
    assert!(log.borrow().is_empty(), "nothing runs before the set-up");
    trigger.callback(vec![10, 20]).unwrap();
    assert!(init.is_ready());
    assert_eq!(
        *log.borrow(),
        ["a runs", "a: 31", "b runs", "b: 32", "c runs", "c: 33"]
    );
}

#[test]
fn a_call_after_the_set_up_runs_at_once() {
    let (init, trigger) = setting_up();
    trigger.callback(vec![5]).unwrap();
    let log = Log::default();
    let d = call(&init, &log, "late", 1);
    assert!(d.is_called(), "no waiting");
    assert_eq!(*log.borrow(), ["late runs", "late: 6"]);
}

#[test]
fn a_failed_set_up_fails_every_call_now_and_later() {
    let (init, trigger) = setting_up();
    let log = Log::default();
    drop(call(&init, &log, "early", 1));
    trigger.errback(Failure::msg("connection refused")).unwrap();
    drop(call(&init, &log, "late", 2));
    assert!(!init.is_ready());
    assert_eq!(
        *log.borrow(),
        [
            "early: InitFailed(connection refused)",
            "late: InitFailed(connection refused)"
        ],
        "no call ran, and none hangs"
    );
    let ready = init.ready();
    assert!(ready.is_called());
    drop(ready.add_errback(|f: Failure| {
        assert!(f.check::<InitFailed>());
        Ok(())
    }));
}

#[test]
fn a_cancelled_call_leaves_the_line_and_never_runs() {
    let (init, trigger) = setting_up();
    let log = Log::default();
    drop(call(&init, &log, "a", 1));
    let b = call(&init, &log, "b", 2);
    b.cancel();
    assert_eq!(init.waiting(), 1);
    assert_eq!(*log.borrow(), ["b: CancelledError"]);
    trigger.callback(vec![0]).unwrap();
    assert_eq!(*log.borrow(), ["b: CancelledError", "a runs", "a: 1"]);
}

#[test]
fn giving_up_on_ready_leaves_the_set_up_going() {
    let (init, trigger) = setting_up();
    let ready = init.ready();
    let seen = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&seen);
    let ready = ready.add_errback(move |f: Failure| {
        *keep.borrow_mut() = Some(f.check::<CancelledError>());
        Ok(())
    });
    ready.cancel();
    assert_eq!(*seen.borrow(), Some(true));
    let log = Log::default();
    drop(call(&init, &log, "a", 1));
    trigger.callback(vec![1]).unwrap();
    assert_eq!(*log.borrow(), ["a runs", "a: 2"]);
}

#[test]
fn a_waiting_call_may_call_the_object_again() {
    let (init, trigger) = setting_up();
    let log = Log::default();
    let (again, log2) = (init.clone(), Rc::clone(&log));
    let _ = init
        .call(|v: &Vec<u32>| Ok(v.len() as u32))
        .add_callback(move |len: u32| {
            log2.borrow_mut().push(format!("len {len}"));
            drop(call(&again, &log2, "inner", len));
        });
    trigger.callback(vec![7, 8]).unwrap();
    assert_eq!(*log.borrow(), ["len 2", "inner runs", "inner: 17"]);
}

#[test]
fn a_method_may_return_a_deferred_and_cancelling_reaches_it() {
    let (init, trigger) = setting_up();
    let inner: Rc<RefCell<Option<Trigger<u32>>>> = Rc::default();
    let cancelled = Rc::new(RefCell::new(false));
    let (keep, flag) = (Rc::clone(&inner), Rc::clone(&cancelled));
    let d: Deferred<u32> = init.call(move |_: &Vec<u32>| {
        let (d, t) = Deferred::with_canceller(move |_: &Trigger<u32>| *flag.borrow_mut() = true);
        *keep.borrow_mut() = Some(t);
        d
    });
    trigger.callback(vec![]).unwrap();
    assert!(inner.borrow().is_some(), "the method ran");
    let handle = d.cancel_handle();
    let outcome = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&outcome);
    let _ = d.add_both(move |o: Result<u32, Failure>| {
        *keep.borrow_mut() = Some(o.map_err(|f| f.check::<CancelledError>()));
    });
    handle.cancel();
    assert!(*cancelled.borrow(), "the method's deferred was cancelled");
    assert_eq!(*outcome.borrow(), Some(Err(true)));
}

#[test]
fn awaited_on_the_runtime_a_call_waits_on_the_virtual_clock() {
    let rt = Runtime::new(&Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap());
    let setup = rt
        .sleep(Duration::from_secs(2))
        .add_callback(|()| Ok(vec![1u32, 2, 3]));
    let init = AsyncInit::new(setup);
    let clock = rt.clone();
    let got = rt
        .block_on(async move {
            let sum = init.call(|v: &Vec<u32>| Ok(v.iter().sum::<u32>())).await?;
            Ok::<_, Failure>((sum, clock.reactor().now()))
        })
        .unwrap()
        .unwrap();
    assert_eq!(got, (6, Duration::from_secs(2)));
}

/// The chapter's tokio box: `OnceCell::get_or_try_init` runs one set-up
/// for callers who arrive together; a failed set-up is not remembered (the
/// next caller runs it again), and a set-up whose caller gives up stops,
/// to be started afresh by the next caller.
#[tokio::test]
async fn on_tokio_a_once_cell_shares_one_set_up_and_forgets_a_failure() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::sync::OnceCell;

    let runs = AtomicUsize::new(0);
    let set_up = |ok: bool| {
        let runs = &runs;
        async move {
            runs.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            if ok { Ok(7) } else { Err("connection refused") }
        }
    };
    let cell = OnceCell::<u32>::new();
    assert_eq!(
        cell.get_or_try_init(|| set_up(false)).await,
        Err("connection refused")
    );
    assert!(!cell.initialized(), "the failure is not kept");
    let (a, b) = tokio::join!(
        cell.get_or_try_init(|| set_up(true)),
        cell.get_or_try_init(|| set_up(true))
    );
    assert_eq!((a.copied(), b.copied()), (Ok(7), Ok(7)));
    assert_eq!(
        runs.load(Ordering::SeqCst),
        2,
        "a failed run, then one shared run"
    );

    let cell = OnceCell::<u32>::new();
    let given_up = futures::poll!(std::pin::pin!(cell.get_or_try_init(|| set_up(true))));
    assert!(given_up.is_pending(), "the set-up had started");
    assert!(!cell.initialized(), "dropped: it stopped half-way");
    assert_eq!(cell.get_or_try_init(|| set_up(true)).await.copied(), Ok(7));
    assert_eq!(runs.load(Ordering::SeqCst), 4, "started afresh");
}
