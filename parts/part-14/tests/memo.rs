//! The memo of deferreds (`part_14::Memo`) and its tokio counterpart
//! (`part_14::tokio_memo::SharedMemo`): one call per key, known answers
//! without a call, failures not kept, per-caller cancel, and the last
//! caller's cancel stopping the call.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::FutureExt;
use part_07::{CancelledError, Deferred, Failure, Trigger, deferred, succeed};
use part_14::Memo;
use part_14::tokio_memo::SharedMemo;

type Pending = Rc<RefCell<Vec<(u32, Trigger<String>)>>>;
type Got = Rc<RefCell<Vec<Result<String, String>>>>;

/// A memo over a pretend download that keeps its triggers in `pending`;
/// cancelling a download records `cancelled <key>` in `log`.
fn memo_of(pending: &Pending, log: &Rc<RefCell<Vec<String>>>) -> Memo<u32, String> {
    let (record, log) = (Rc::clone(pending), Rc::clone(log));
    Memo::new(move |key: &u32| {
        let (log, key_) = (Rc::clone(&log), *key);
        let (d, trigger) = Deferred::with_canceller(move |_: &Trigger<String>| {
            log.borrow_mut().push(format!("cancelled {key_}"));
        });
        record.borrow_mut().push((*key, trigger));
        d
    })
}

fn collect(got: &Got, d: Deferred<String>) {
    let got = Rc::clone(got);
    let _ = d.add_both(move |outcome: Result<String, Failure>| {
        got.borrow_mut()
            .push(outcome.map_err(|f| f.short_type_name().to_string() + ": " + &f.message()));
    });
}

fn fire(pending: &Pending, key: u32, outcome: Result<String, Failure>) {
    let at = pending
        .borrow()
        .iter()
        .rposition(|(k, _)| *k == key)
        .expect("a call for the key");
    let (_, trigger) = pending.borrow_mut().remove(at);
    trigger.fire(outcome).expect("fires once");
}

#[test]
fn concurrent_callers_share_one_call_per_key() {
    let (pending, log, got) = (Pending::default(), Rc::default(), Got::default());
    let memo = memo_of(&pending, &log);
    for key in [1, 1, 2, 1] {
        collect(&got, memo.get(key));
    }
    assert_eq!(memo.calls(), 2, "one call per key");
    assert!(got.borrow().is_empty(), "nothing has arrived yet");
    fire(&pending, 1, Ok("one".into()));
    assert_eq!(
        *got.borrow(),
        vec![Ok("one".to_string()); 3],
        "all three callers of key 1"
    );
    fire(&pending, 2, Ok("two".into()));
    assert_eq!(got.borrow().len(), 4);
}

#[test]
fn a_known_answer_comes_fired_already_without_a_call() {
    let (pending, log, got) = (Pending::default(), Rc::default(), Got::default());
    let memo = memo_of(&pending, &log);
    collect(&got, memo.get(5));
    fire(&pending, 5, Ok("five".into()));
    assert!(memo.is_known(&5));
    let again = memo.get(5);
    assert!(again.is_called(), "fired already");
    collect(&got, again);
    assert_eq!(memo.calls(), 1);
    assert_eq!(got.borrow().last(), Some(&Ok("five".to_string())));
}

#[test]
fn a_failure_reaches_every_waiter_and_is_not_kept() {
    let (pending, log, got) = (Pending::default(), Rc::default(), Got::default());
    let memo = memo_of(&pending, &log);
    for _ in 0..3 {
        collect(&got, memo.get(7));
    }
    fire(&pending, 7, Err(Failure::msg("upstream down")));
    assert_eq!(
        *got.borrow(),
        vec![Err("Message: upstream down".to_string()); 3]
    );
    assert!(!memo.is_known(&7) && !memo.is_waiting(&7), "forgotten");
    collect(&got, memo.get(7));
    assert_eq!(memo.calls(), 2, "the next get calls again");
    fire(&pending, 7, Ok("seven".into()));
    assert_eq!(got.borrow().last(), Some(&Ok("seven".to_string())));
}

#[test]
fn one_caller_giving_up_leaves_the_others_waiting() {
    let (pending, log, got) = (Pending::default(), Rc::default(), Got::default());
    let memo = memo_of(&pending, &log);
    let quitter = memo.get(3);
    let handle = quitter.cancel_handle();
    collect(&got, quitter);
    collect(&got, memo.get(3));
    handle.cancel();
    assert_eq!(
        got.borrow()[0].as_ref().unwrap_err(),
        "CancelledError: the deferred was cancelled"
    );
    assert!(
        log.borrow().is_empty(),
        "the call goes on for the other caller"
    );
    fire(&pending, 3, Ok("three".into()));
    assert_eq!(got.borrow()[1], Ok("three".to_string()));
    assert_eq!(got.borrow().len(), 2, "the quitter is not told twice");
}

#[test]
fn the_last_caller_giving_up_cancels_the_call_and_forgets_the_key() {
    let (pending, log, got) = (Pending::default(), Rc::default(), Got::default());
    let memo = memo_of(&pending, &log);
    let (a, b) = (memo.get(4), memo.get(4));
    let (ha, hb) = (a.cancel_handle(), b.cancel_handle());
    collect(&got, a);
    collect(&got, b);
    ha.cancel();
    assert!(log.borrow().is_empty());
    hb.cancel();
    assert_eq!(*log.borrow(), vec!["cancelled 4"]);
    assert!(!memo.is_waiting(&4));
    // A new caller starts a new call, which the old one cannot disturb.
    collect(&got, memo.get(4));
    assert_eq!(memo.calls(), 2);
    fire(&pending, 4, Ok("four".into()));
    assert_eq!(got.borrow().last(), Some(&Ok("four".to_string())));
}

#[test]
fn a_late_answer_of_an_abandoned_call_does_not_touch_the_new_one() {
    // A download without a canceller: cancelling it does not stop it.
    let pending = Pending::default();
    let record = Rc::clone(&pending);
    let memo = Memo::new(move |key: &u32| {
        let (d, trigger) = deferred();
        record.borrow_mut().push((*key, trigger));
        d
    });
    let got = Got::default();
    let first = memo.get(9);
    let handle = first.cancel_handle();
    collect(&got, first);
    handle.cancel();
    got.borrow_mut().clear();
    collect(&got, memo.get(9));
    assert_eq!(memo.calls(), 2);
    // The old call answers late (ignored by the cancelled deferred), the
    // new call is still under way.
    let (_, old) = pending.borrow_mut().remove(0);
    let _ = old.callback("stale".into());
    assert!(memo.is_waiting(&9));
    assert!(got.borrow().is_empty());
    fire(&pending, 9, Ok("fresh".into()));
    assert_eq!(*got.borrow(), vec![Ok("fresh".to_string())]);
}

#[test]
fn a_function_that_answers_at_once_and_callbacks_that_ask_again() {
    let memo: Memo<u32, u32> = Memo::new(|key: &u32| succeed(key * 10));
    let inner = memo.clone();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let keep = Rc::clone(&seen);
    let _ = memo.get(1).add_callback(move |v: u32| {
        // Asking from inside a callback: the answer is known already.
        let keep2 = Rc::clone(&keep);
        keep.borrow_mut().push(v);
        let _ = inner
            .get(1)
            .add_callback(move |w: u32| keep2.borrow_mut().push(w));
    });
    assert_eq!(*seen.borrow(), vec![10, 10]);
    assert_eq!(memo.calls(), 1);
}

#[test]
fn forget_removes_a_known_answer_but_not_a_call_under_way() {
    let (pending, log, got) = (Pending::default(), Rc::default(), Got::default());
    let memo = memo_of(&pending, &log);
    collect(&got, memo.get(1));
    assert!(!memo.forget(&1), "a call under way is left alone");
    fire(&pending, 1, Ok("one".into()));
    assert!(memo.forget(&1));
    collect(&got, memo.get(1));
    assert_eq!(memo.calls(), 2);
    assert!(memo.is_waiting(&1));
    fire(&pending, 1, Ok("one again".into()));
}

#[test]
fn cancelled_error_is_what_a_quitter_sees() {
    let (pending, log) = (Pending::default(), Rc::default());
    let memo = memo_of(&pending, &log);
    let seen = Rc::new(RefCell::new(false));
    let keep = Rc::clone(&seen);
    let d = memo.get(2).add_errback(move |f: Failure| {
        *keep.borrow_mut() = f.check::<CancelledError>();
        Ok(String::new())
    });
    d.cancel();
    assert!(*seen.borrow());
}

/// A shared memo whose function counts its calls and fails for odd keys
/// the first time.
fn shared_memo(calls: &Arc<AtomicUsize>) -> Arc<SharedMemo<u32, String, String>> {
    let calls = Arc::clone(calls);
    SharedMemo::new(move |key: &u32| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        let key = *key;
        async move {
            tokio::task::yield_now().await;
            if key % 2 == 1 && n == 0 {
                Err(format!("no poem {key}"))
            } else {
                Ok(format!("poem {key}"))
            }
        }
        .boxed()
    })
}

#[tokio::test]
async fn on_tokio_concurrent_callers_share_one_future() {
    let calls = Arc::new(AtomicUsize::new(0));
    let memo = shared_memo(&calls);
    let all = futures::future::join_all((0..5).map(|_| memo.get(2))).await;
    assert_eq!(all, vec![Ok("poem 2".to_string()); 5]);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(memo.get(2).await, Ok("poem 2".to_string()));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "known: no new call");
}

#[tokio::test]
async fn on_tokio_a_failure_is_shared_but_not_kept() {
    let calls = Arc::new(AtomicUsize::new(0));
    let memo = shared_memo(&calls);
    let both = futures::future::join(memo.get(3), memo.get(3)).await;
    assert_eq!(
        both,
        (Err("no poem 3".to_string()), Err("no poem 3".to_string()))
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(memo.get(3).await, Ok("poem 3".to_string()));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "called again after the failure"
    );
}

#[tokio::test]
async fn on_tokio_a_caller_that_leaves_pauses_the_call_and_the_next_resumes_it() {
    let calls = Arc::new(AtomicUsize::new(0));
    let memo = shared_memo(&calls);
    // Poll once (the function yields), then drop: the caller leaves.
    let left = futures::poll!(std::pin::pin!(memo.get(4)));
    assert!(left.is_pending());
    assert_eq!(memo.get(4).await, Ok("poem 4".to_string()));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "resumed, not started again"
    );
}

#[test]
fn the_answer_a_cancelled_call_gives_does_not_fill_the_memo() {
    // A download whose canceller answers with what it has (part 19 lets a
    // canceller fire its deferred): that answer reaches the memo after
    // every caller has left, and must not become the key's known answer.
    let pending = Pending::default();
    let record = Rc::clone(&pending);
    let memo = Memo::new(move |key: &u32| {
        let (d, trigger) = Deferred::with_canceller(|trigger: &Trigger<String>| {
            let _ = trigger.callback("half a poem".into());
        });
        record.borrow_mut().push((*key, trigger));
        d
    });
    let got = Got::default();
    let quitter = memo.get(6);
    let handle = quitter.cancel_handle();
    collect(&got, quitter);
    handle.cancel();
    assert!(
        !memo.is_known(&6),
        "the cancelled call's answer is not kept"
    );
    assert!(!memo.is_waiting(&6));
    collect(&got, memo.get(6));
    assert_eq!(memo.calls(), 2, "the next get calls again");
}

#[test]
fn a_cancelled_calls_outcome_does_not_settle_a_call_started_meanwhile() {
    // The download's canceller asks the memo again for the same key (say,
    // a refresher that keeps the key warm). That new call starts while the
    // old one is being cancelled; the old call's `CancelledError` arrives
    // afterwards and must not settle the new wait.
    let pending = Pending::default();
    let memo_slot: Rc<RefCell<Option<Memo<u32, String>>>> = Rc::default();
    let got = Got::default();
    let (record, slot, seen) = (Rc::clone(&pending), Rc::clone(&memo_slot), Rc::clone(&got));
    let memo = Memo::new(move |key: &u32| {
        let (slot, seen, key_) = (Rc::clone(&slot), Rc::clone(&seen), *key);
        let (d, trigger) = Deferred::with_canceller(move |_: &Trigger<String>| {
            if let Some(memo) = slot.borrow().clone() {
                collect(&seen, memo.get(key_));
            }
        });
        record.borrow_mut().push((*key, trigger));
        d
    });
    *memo_slot.borrow_mut() = Some(memo.clone());
    let first = memo.get(8);
    let handle = first.cancel_handle();
    handle.cancel();
    let _ = first.add_errback(|_: Failure| Ok(String::new()));
    *memo_slot.borrow_mut() = None; // one refresh is enough
    assert_eq!(memo.calls(), 2, "the canceller started a new call");
    assert!(memo.is_waiting(&8), "the new call is still under way");
    assert!(got.borrow().is_empty(), "{:?}", got.borrow());
    fire(&pending, 8, Ok("fresh".into()));
    assert_eq!(*got.borrow(), vec![Ok("fresh".to_string())]);
}
