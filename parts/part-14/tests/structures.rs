//! The deferred queue and the deferred dict (`part_14::structures`), their
//! tokio counterparts, and the two examples that show them: order of
//! readers and items, limits, cancellation, callbacks that use the
//! structure that is firing them, and what gets reported as unhandled.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use part_07::{CancelledError, Deferred, Failure, on_unhandled};
use part_14::structures::{DeferredDict, DeferredQueue, QueueUnderflow};
use part_14::tokio_structures::AsyncDict;
use proptest::prelude::*;
use testkit::{self, assert_in_order};

/// What the readers received, as `"who: value"` or `"who: ErrorType"`.
type Log = Rc<RefCell<Vec<String>>>;

/// Adds to `deferred` a callback and errback that write to `log`, and
/// returns nothing to handle later: the failure, if any, is handled here.
fn note<T: std::fmt::Display + 'static>(log: &Log, who: &str, deferred: Deferred<T>) {
    let (log, who) = (Rc::clone(log), who.to_string());
    let _ = deferred.add_both(move |outcome: Result<T, Failure>| {
        let what = match outcome {
            Ok(value) => value.to_string(),
            Err(failure) => failure.short_type_name().to_string(),
        };
        log.borrow_mut().push(format!("{who}: {what}"));
    });
}

fn logged(log: &Log) -> Vec<String> {
    log.borrow().clone()
}

/// Counts the failures reported as unhandled while the guard lives.
fn count_unhandled() -> (Rc<Cell<usize>>, part_07::UnhandledGuard) {
    let count = Rc::new(Cell::new(0));
    let counter = Rc::clone(&count);
    let guard = on_unhandled(move |_| counter.set(counter.get() + 1));
    (count, guard)
}

// ---------------------------------------------------------------- the queue

#[test]
fn waiting_readers_get_items_in_the_order_they_asked() {
    let queue = DeferredQueue::new();
    let log = Log::default();
    for who in ["first", "second", "third"] {
        let item = queue.get();
        assert!(!item.is_called(), "nothing is queued: {who} must wait");
        note(&log, who, item);
    }
    assert_eq!(queue.readers(), 3);
    for item in ["a", "b", "c"] {
        queue.put(item).expect("no size limit");
    }
    assert_eq!(logged(&log), ["first: a", "second: b", "third: c"]);
    assert_eq!((queue.readers(), queue.len()), (0, 0));
}

#[test]
fn queued_items_come_at_once_oldest_first() {
    let queue = DeferredQueue::new();
    for item in [1, 2, 3] {
        queue.put(item).expect("no size limit");
    }
    assert_eq!(queue.len(), 3);
    let log = Log::default();
    for who in ["x", "y"] {
        let item = queue.get();
        assert!(item.is_called(), "an item was waiting: fired already");
        note(&log, who, item);
    }
    assert_eq!(logged(&log), ["x: 1", "y: 2"], "ran inside add_both");
    assert_eq!(queue.len(), 1);
}

#[test]
fn a_full_queue_refuses_an_item_and_hands_it_back() {
    let queue = DeferredQueue::with_limits(Some(2), None);
    assert_eq!(queue.size(), Some(2));
    queue.put("one".to_string()).expect("room for two");
    queue.put("two".to_string()).expect("room for two");
    let refused = queue.put("three".to_string()).expect_err("full");
    assert_eq!(refused.item, "three", "the item comes back");
    assert_eq!(refused.limit, 2);
    assert!(refused.to_string().contains("full"), "{refused}");
    assert_eq!(queue.len(), 2);
    // Taking one makes room again.
    let log = Log::default();
    note(&log, "reader", queue.get());
    queue.put(refused.item).expect("room again");
    assert_eq!(logged(&log), ["reader: one"]);
    assert_eq!(queue.len(), 2);
}

#[test]
fn a_size_limit_does_not_refuse_an_item_a_reader_is_waiting_for() {
    let queue = DeferredQueue::with_limits(Some(0), None);
    let log = Log::default();
    note(&log, "reader", queue.get());
    queue.put(7).expect("goes straight to the reader");
    assert_eq!(logged(&log), ["reader: 7"]);
    assert!(queue.put(8).is_err(), "nobody waits, and no room");
}

#[test]
fn a_get_beyond_the_backlog_has_failed_already() {
    let queue = DeferredQueue::with_limits(None, Some(1));
    assert_eq!(queue.backlog(), Some(1));
    let log = Log::default();
    note(&log, "waits", queue.get());
    let refused = queue.get();
    assert!(refused.is_called(), "refused at once");
    let limit = Rc::new(Cell::new(None));
    let seen = Rc::clone(&limit);
    let _ = refused.add_errback(move |failure: Failure| {
        seen.set(failure.downcast_ref::<QueueUnderflow>().map(|e| e.limit));
        Ok(0)
    });
    assert_eq!(limit.get(), Some(1), "failed with QueueUnderflow");
    assert_eq!(queue.readers(), 1, "the refused reader was not queued");
    queue.put(5).expect("no size limit");
    assert_eq!(logged(&log), ["waits: 5"]);
}

#[test]
fn a_cancelled_get_is_skipped_and_fails_with_cancelled_error() {
    let queue = DeferredQueue::new();
    let log = Log::default();
    note(&log, "first", queue.get());
    let second = queue.get();
    let handle = second.cancel_handle();
    note(&log, "second", second);
    note(&log, "third", queue.get());
    handle.cancel();
    assert_eq!(logged(&log), ["second: CancelledError"]);
    assert_eq!(queue.readers(), 2, "the cancelled reader was taken out");
    queue.put("a").expect("no size limit");
    queue.put("b").expect("no size limit");
    assert_eq!(
        logged(&log),
        ["second: CancelledError", "first: a", "third: b"],
        "the next put went to the next reader, not the cancelled one"
    );
    // Cancelling a deferred that has fired does nothing.
    handle.cancel();
    assert_eq!(queue.len(), 0);
}

#[test]
fn a_cancelled_get_frees_its_place_in_the_backlog() {
    let queue = DeferredQueue::with_limits(None, Some(1));
    let first = queue.get();
    first.cancel();
    let _ = first.add_errback(|_| Ok(0));
    let log = Log::default();
    note(&log, "next", queue.get());
    queue.put(1).expect("no size limit");
    assert_eq!(logged(&log), ["next: 1"]);
}

#[test]
fn a_cancelled_get_trapped_then_dropped_reports_nothing() {
    let (reported, _guard) = count_unhandled();
    let queue = DeferredQueue::<u32>::new();
    let get = queue.get();
    get.cancel();
    let trapped = get.add_errback(|failure: Failure| {
        failure.trap::<CancelledError>()?;
        Ok(0)
    });
    drop(trapped);
    drop(queue);
    assert_eq!(reported.get(), 0, "the cancellation was handled");

    // The same without the errback is reported, once: the check above can
    // see a report when there is one.
    let queue = DeferredQueue::<u32>::new();
    let get = queue.get();
    get.cancel();
    drop(get);
    assert_eq!(reported.get(), 1);
}

#[test]
fn a_reader_still_waiting_when_the_queue_goes_reports_nothing() {
    let (reported, _guard) = count_unhandled();
    let queue = DeferredQueue::<u32>::new();
    let get = queue.get();
    drop(queue);
    assert!(!get.is_called());
    // Cancelling after the queue has gone still works: the canceller finds
    // no queue, and the deferred fails with CancelledError.
    get.cancel();
    let trapped = get.add_errback(|failure: Failure| {
        failure.trap::<CancelledError>()?;
        Ok(1)
    });
    drop(trapped);
    assert_eq!(reported.get(), 0);
}

#[test]
fn callbacks_may_put_get_and_cancel_on_the_queue_that_fires_them() {
    let queue = DeferredQueue::new();
    let log = Log::default();
    let (first, second, third) = (queue.get(), queue.get(), queue.get());
    let cancel_third = third.cancel_handle();
    note(&log, "second", second);
    note(&log, "third", third);
    // The first reader's callback runs inside `put("a")`: it puts "b" (which
    // goes to the second reader, inside that put), cancels the third reader,
    // and asks again. Had the queue held a borrow while firing, any of the
    // three would panic, and the panic would end up as a failure here.
    let inner = queue.clone();
    let first = first.add_callback({
        let log = Rc::clone(&log);
        move |item: &str| {
            log.borrow_mut().push(format!("first: {item}"));
            inner.put("b").expect("no size limit");
            cancel_third.cancel();
            note(&log, "first again", inner.get());
        }
    });
    note(
        &log,
        "first's chain",
        first.add_callback(|()| Ok("ended well")),
    );
    queue.put("a").expect("no size limit");
    assert_eq!(
        logged(&log),
        [
            "first: a",
            "second: b",
            "third: CancelledError",
            "first's chain: ended well"
        ]
    );
    assert_eq!(queue.readers(), 1, "the first reader asked again");
    queue.put("c").expect("no size limit");
    assert_eq!(
        logged(&log).last().map(String::as_str),
        Some("first again: c")
    );
}

#[test]
fn a_callback_on_an_item_that_came_at_once_may_use_the_queue() {
    let queue = DeferredQueue::new();
    queue.put(1).expect("no size limit");
    let inner = queue.clone();
    let _ = queue.get().add_callback(move |n: u32| {
        inner.put(n + 1).expect("no size limit");
        inner.put(n + 2).expect("no size limit");
    });
    assert_eq!(queue.len(), 2);
    let log = Log::default();
    note(&log, "next", queue.get());
    assert_eq!(logged(&log), ["next: 2"]);
}

/// One step of a queue's life, for the property test.
#[derive(Clone, Debug)]
enum Step {
    Put,
    Get,
    /// Cancel the waiting get at this position (modulo how many wait).
    Cancel(usize),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            3 => Just(Step::Put),
            3 => Just(Step::Get),
            1 => (0usize..8).prop_map(Step::Cancel),
        ],
        0..60,
    )
}

proptest! {
    /// Whatever the order of puts, gets and cancellations: every item is
    /// delivered at most once and in the order it was put, the readers who
    /// get items get them in the order they asked, nothing is delivered to
    /// a cancelled reader, and items and readers never wait at once.
    #[test]
    fn any_interleaving_delivers_each_item_once_in_order(steps in steps()) {
        let queue = DeferredQueue::<u32>::new();
        // (reader number, item), in the order of delivery.
        let delivered: Rc<RefCell<Vec<(usize, u32)>>> = Rc::default();
        // (reader number, whether the failure was a CancelledError)
        let cancelled: Rc<RefCell<Vec<(usize, bool)>>> = Rc::default();
        let mut waiting = Vec::new(); // (reader number, cancel handle)
        let (mut puts, mut readers) = (0, 0);
        for step in steps {
            match step {
                Step::Put => {
                    queue.put(puts).expect("no size limit");
                    puts += 1;
                }
                Step::Get => {
                    let reader = readers;
                    readers += 1;
                    let get = queue.get();
                    if !get.is_called() {
                        waiting.push((reader, get.cancel_handle()));
                    }
                    let (delivered, cancelled) = (Rc::clone(&delivered), Rc::clone(&cancelled));
                    let _ = get.add_both(move |item: Result<u32, Failure>| match item {
                        Ok(item) => delivered.borrow_mut().push((reader, item)),
                        Err(failure) => {
                            let why = failure.check::<CancelledError>();
                            cancelled.borrow_mut().push((reader, why));
                        }
                    });
                }
                Step::Cancel(at) => {
                    waiting.retain(|(reader, _)| {
                        !delivered.borrow().iter().any(|(served, _)| served == reader)
                    });
                    if !waiting.is_empty() {
                        let (_, handle) = waiting.remove(at % waiting.len());
                        handle.cancel();
                    }
                }
            }
            prop_assert!(queue.is_empty() || queue.readers() == 0);
        }
        let delivered = delivered.borrow();
        let items: Vec<u32> = delivered.iter().map(|&(_, item)| item).collect();
        let expected: Vec<u32> = (0..items.len() as u32).collect();
        prop_assert_eq!(&items, &expected, "each item once, in the order put");
        prop_assert_eq!(items.len() + queue.len(), puts as usize, "no item lost");
        let served: Vec<usize> = delivered.iter().map(|&(reader, _)| reader).collect();
        prop_assert!(served.windows(2).all(|w| w[0] < w[1]), "readers in order: {served:?}");
        for &(reader, why) in cancelled.borrow().iter() {
            prop_assert!(why, "reader {reader} failed, not with CancelledError");
            prop_assert!(!served.contains(&reader), "reader {reader} cancelled and served");
        }
        prop_assert_eq!(
            served.len() + cancelled.borrow().len() + queue.readers(),
            readers,
            "every reader served, cancelled, or still waiting"
        );
    }
}

// ----------------------------------------------------------------- the dict

#[test]
fn a_dict_get_before_set_waits_and_after_set_is_fired_already() {
    let dict = DeferredDict::<String, u32>::new();
    let log = Log::default();
    let early = dict.get("tyger");
    assert!(!early.is_called());
    note(&log, "early", early);
    assert!(!dict.contains_key("tyger"));
    assert_eq!(dict.waiting("tyger"), 1);
    assert_eq!(dict.set("tyger".to_string(), 24), None);
    assert_eq!(logged(&log), ["early: 24"]);
    assert_eq!(dict.waiting("tyger"), 0);
    let late = dict.get("tyger");
    assert!(late.is_called(), "set already: fired already");
    note(&log, "late", late);
    assert_eq!(logged(&log), ["early: 24", "late: 24"]);
}

#[test]
fn every_reader_of_a_key_gets_its_value_in_the_order_they_asked() {
    let dict = DeferredDict::<String, &str>::new();
    let log = Log::default();
    for who in ["a", "b", "c"] {
        note(&log, who, dict.get("tyger"));
    }
    note(&log, "other", dict.get("panther"));
    dict.set("tyger".into(), "Blake");
    assert_eq!(logged(&log), ["a: Blake", "b: Blake", "c: Blake"]);
    assert_eq!(
        dict.waiting("panther"),
        1,
        "another key's reader still waits"
    );
    dict.set("panther".into(), "Rilke");
    assert_eq!(
        logged(&log).last().map(String::as_str),
        Some("other: Rilke")
    );
}

#[test]
fn set_replaces_remove_unsets_and_len_counts_keys_set() {
    let dict = DeferredDict::<String, u32>::new();
    assert!(dict.is_empty());
    assert_eq!(dict.set("a".into(), 1), None);
    assert_eq!(dict.set("a".into(), 2), Some(1));
    dict.set("b".into(), 3);
    assert_eq!(dict.len(), 2);
    assert_eq!(dict.remove("a"), Some(2));
    assert_eq!(dict.remove("a"), None);
    assert!(!dict.contains_key("a") && dict.contains_key("b"));
    assert_eq!(dict.len(), 1);
    // A removed key is waited for again.
    let log = Log::default();
    let again = dict.get("a");
    assert!(!again.is_called());
    note(&log, "again", again);
    dict.set("a".into(), 4);
    assert_eq!(logged(&log), ["again: 4"]);
}

#[test]
fn a_cancelled_dict_get_takes_out_only_its_own_reader() {
    let (reported, _guard) = count_unhandled();
    let dict = DeferredDict::<String, u32>::new();
    let log = Log::default();
    note(&log, "a", dict.get("k"));
    let b = dict.get("k");
    let cancel_b = b.cancel_handle();
    note(&log, "b", b);
    note(&log, "c", dict.get("k"));
    cancel_b.cancel();
    assert_eq!(dict.waiting("k"), 2);
    dict.set("k".into(), 9);
    assert_eq!(logged(&log), ["b: CancelledError", "a: 9", "c: 9"]);
    // The last reader of a key that cancels leaves no list behind, and a
    // trapped cancellation is not reported.
    let lonely = dict.get("nobody");
    lonely.cancel();
    assert_eq!(dict.waiting("nobody"), 0);
    drop(lonely.add_errback(|failure: Failure| {
        failure.trap::<CancelledError>()?;
        Ok(0)
    }));
    assert_eq!(reported.get(), 0);
}

#[test]
fn a_reader_cancelled_by_an_earlier_readers_callback_is_skipped() {
    let (reported, _guard) = count_unhandled();
    let dict = DeferredDict::<String, u32>::new();
    let log = Log::default();
    let first = dict.get("k");
    let second = dict.get("k");
    let cancel_second = second.cancel_handle();
    note(&log, "second", second);
    // The first answer makes the second one unwanted: first one wins.
    note(
        &log,
        "first",
        first.add_callback(move |value: u32| {
            cancel_second.cancel();
            Ok(value)
        }),
    );
    note(&log, "third", dict.get("k"));
    dict.set("k".into(), 7);
    assert_eq!(
        logged(&log),
        ["second: CancelledError", "first: 7", "third: 7"]
    );
    assert_eq!(reported.get(), 0);
}

#[test]
fn callbacks_may_use_the_dict_that_fires_them() {
    let dict = DeferredDict::<String, u32>::new();
    let log = Log::default();
    let first = {
        let (dict, log) = (dict.clone(), Rc::clone(&log));
        dict.clone().get("k").add_callback(move |value: u32| {
            log.borrow_mut().push(format!("first: {value}"));
            // The key is set already when the readers are told.
            note(&log, "first reads k", dict.get("k"));
            // Setting another key, and this one again, from inside `set`.
            dict.set("other".into(), value + 1);
            dict.set("k".into(), value * 10);
            dict.remove("other");
        })
    };
    note(
        &log,
        "first's chain",
        first.add_callback(|()| Ok("ended well")),
    );
    note(&log, "second", dict.get("k"));
    note(&log, "waits for other", dict.get("other"));
    dict.set("k".into(), 1);
    assert_eq!(
        logged(&log),
        [
            "first: 1",
            "first reads k: 1",
            "waits for other: 2",
            "first's chain: ended well",
            // Readers waiting when `set` was called get that call's value.
            "second: 1",
        ]
    );
    assert_eq!(
        value_of(&dict, "k"),
        Some(10),
        "the callback's set came last"
    );
    assert!(!dict.contains_key("other"));
}

/// The value of a key that is set, read through `get` (fired already).
fn value_of(dict: &DeferredDict<String, u32>, key: &str) -> Option<u32> {
    let value = Rc::new(Cell::new(None));
    let seen = Rc::clone(&value);
    let get = dict.get(key);
    if !get.is_called() {
        get.cancel();
    }
    let _ = get.add_both(move |v: Result<u32, Failure>| seen.set(v.ok()));
    value.get()
}

// ------------------------------------------------------ tokio counterparts

#[tokio::test]
async fn the_async_dict_answers_readers_who_asked_before_the_producer_set() {
    let dict = Arc::new(AsyncDict::<String, String>::new());
    let mut readers = Vec::new();
    for key in ["tyger", "tyger", "panther"] {
        let dict = Arc::clone(&dict);
        readers.push(tokio::spawn(async move { dict.get(key).await }));
    }
    tokio::task::yield_now().await; // every reader is waiting now
    assert!(readers.iter().all(|reader| !reader.is_finished()));
    assert!(!dict.contains_key("tyger"));
    assert_eq!(dict.set("tyger".into(), "Blake".into()), None);
    assert_eq!(dict.set("panther".into(), "Rilke".into()), None);
    let mut got = Vec::new();
    for reader in readers {
        got.push(reader.await.expect("the reader finished"));
    }
    assert_eq!(got, ["Blake", "Blake", "Rilke"]);
    // Set already: no wait. Removed: waits again, for the next set.
    assert_eq!(dict.get("tyger").await, "Blake");
    assert_eq!(dict.remove("tyger"), Some("Blake".into()));
    let again = {
        let dict = Arc::clone(&dict);
        tokio::spawn(async move { dict.get("tyger").await })
    };
    tokio::task::yield_now().await;
    assert!(!again.is_finished());
    dict.set("tyger".into(), "William Blake".into());
    assert_eq!(again.await.expect("finished"), "William Blake");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_async_get_is_cancelled_and_the_dict_goes_on() {
    let dict = AsyncDict::<String, u32>::new();
    let waiting = tokio::time::timeout(std::time::Duration::from_secs(1), dict.get("k")).await;
    assert!(waiting.is_err(), "nothing set: the get was still waiting");
    dict.set("k".into(), 3);
    assert_eq!(dict.get("k").await, 3);
}

#[tokio::test]
async fn a_reader_that_has_not_run_since_a_set_misses_it_if_the_key_is_removed() {
    // `watch` keeps only the latest value: a reader woken by `set` that
    // has not run before `remove` finds `None` again and waits on.
    let dict = Arc::new(AsyncDict::<String, u32>::new());
    let reader = {
        let dict = Arc::clone(&dict);
        tokio::spawn(async move { dict.get("k").await })
    };
    tokio::task::yield_now().await; // the reader waits now
    dict.set("k".into(), 1);
    assert_eq!(dict.remove("k"), Some(1));
    tokio::task::yield_now().await;
    assert!(!reader.is_finished(), "the value it was woken for is gone");
    dict.set("k".into(), 2);
    assert_eq!(reader.await.expect("finished"), 2);
}

// ANCHOR: tokio_queue
/// The deferred queue's counterpart: a bounded `mpsc` channel. Its one
/// receiver is shared behind tokio's `Mutex`, which hands itself out in the
/// order it was asked for, so readers are served first come, first served.
#[tokio::test]
async fn an_mpsc_channel_is_the_queue_on_tokio() {
    use tokio::sync::{Mutex, mpsc};

    let (writer, receiver) = mpsc::channel::<&str>(2);
    let receiver = Arc::new(Mutex::new(receiver));
    let mut readers = Vec::new();
    for who in ["first", "second", "third"] {
        let receiver = Arc::clone(&receiver);
        readers.push(tokio::spawn(async move {
            let line = receiver.lock().await.recv().await;
            format!("{who}: {}", line.unwrap_or("nothing"))
        }));
        tokio::task::yield_now().await; // this reader now waits in line
    }
    for line in ["a", "b", "c"] {
        writer.send(line).await.expect("the receiver is alive");
    }
    let mut got = Vec::new();
    for reader in readers {
        got.push(reader.await.expect("the reader finished"));
    }
    assert_eq!(got, ["first: a", "second: b", "third: c"]);

    // A full channel refuses `try_send` and hands the item back.
    writer.try_send("d").expect("room");
    writer.try_send("e").expect("room");
    match writer.try_send("f") {
        Err(mpsc::error::TrySendError::Full(item)) => assert_eq!(item, "f"),
        other => panic!("expected Full, got {other:?}"),
    }
}
// ANCHOR_END: tokio_queue

// ------------------------------------------------------------- the examples

#[test]
fn deferred_queue_serves_readers_in_order_and_skips_the_one_who_gave_up() {
    let out = testkit::run_example_ok("part-14", "deferred-queue", &[]).stdout;
    assert_in_order(
        &out,
        &[
            "reader 3 asks: its deferred waits",
            "the writer puts \"Tyger Tyger, burning bright,\"",
            "reader 1 got \"Tyger Tyger, burning bright,\"",
            "reader 1 asks again: its deferred waits",
            "reader 3 gives up",
            "reader 3 stopped waiting: the deferred was cancelled",
            "reader 2 got \"In the forests of the night;\"",
            "reader 1 got \"What immortal hand or eye,\"",
            "2 readers still wait",
            "Scene 2",
            "the writer is refused: the queue is full",
            "and keeps \"What immortal hand or eye,\" for later",
            "reader 1 asks: its deferred has fired already",
            "reader 1 got \"Tyger Tyger, burning bright,\"",
            "reader 4 asks: its deferred waits",
            "reader 5 is refused: too many readers are waiting",
            "reader 4 got \"Could frame thy fearful symmetry?\"",
        ],
    );
    let scene_1 = out.split("Scene 2").next().unwrap_or_default();
    assert!(!scene_1.contains("reader 3 got"), "{out}");
}

#[test]
fn deferred_dict_answers_each_reader_when_its_poem_is_set() {
    let out = testkit::run_example_ok("part-14", "deferred-dict", &[]).stdout;
    assert_in_order(
        &out,
        &[
            "Ada asks for tyger: not set yet, waits",
            "Cy asks for tyger: not set yet, waits",
            "the producer sets science (1 waiting)",
            "Ben got science",
            "Ben then asks for panther: set already",
            "Ben got panther: Der Panther, by Rainer Maria Rilke",
            "the producer sets tyger (3 waiting)",
            "Ada got tyger: The Tyger, by William Blake",
            "Ada then asks for ecstasy: set already",
            "Cy got tyger",
            "Ben got tyger",
            "Dora stopped waiting for raven: the deferred was cancelled",
        ],
    );
}

#[test]
fn the_examples_have_help() {
    for example in ["deferred-queue", "deferred-dict"] {
        let out = testkit::run_example_ok("part-14", example, &["--help"]).stdout;
        assert!(out.contains(&format!("Usage: {example}")), "{out}");
    }
}
