//! The runtime's rules: tasks, wakers from other threads, panics, a
//! deferred awaited (result, failure, cancel on drop), and
//! `inline_callbacks` with its kinder rule.

use std::cell::{Cell, RefCell};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{CancelledError, Deferred, Failure, Message, deferred, fail, succeed};
use part_17::{Runtime, TaskPanicked};

/// A runtime on a reactor with a virtual clock: timers take no real time.
fn virtual_runtime() -> Runtime {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor");
    Runtime::new(&reactor)
}

/// Sets a flag when dropped: tells whether a future was dropped.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn block_on_returns_what_the_future_returns() {
    let rt = virtual_runtime();
    assert_eq!(rt.block_on(async { 6 * 7 }).unwrap(), 42);
}

#[test]
fn awaiting_a_deferred_gives_its_result_once_it_fires() {
    let rt = virtual_runtime();
    let (d, trigger) = deferred::<&str>();
    rt.reactor().call_later(Duration::from_secs(5), move || {
        trigger.callback("a poem").unwrap();
    });
    let clock = rt.reactor().clone();
    let (poem, when) = rt.block_on(async move { (d.await, clock.now()) }).unwrap();
    assert_eq!(poem.unwrap(), "a poem");
    assert_eq!(when, Duration::from_secs(5), "it waited for the timer");
}

#[test]
fn awaiting_a_fired_deferred_is_ready_at_once() {
    let rt = virtual_runtime();
    let polls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&polls);
    let out = rt
        .block_on(async move {
            counted.set(counted.get() + 1);
            succeed(3).await
        })
        .unwrap();
    assert_eq!(out.unwrap(), 3);
    assert_eq!(polls.get(), 1);
}

#[test]
fn awaiting_a_failed_deferred_gives_the_failure_and_question_mark_passes_it_on() {
    let rt = virtual_runtime();
    let failure = rt
        .block_on(async {
            let _: u32 = fail::<u32>(Message("no poem".into())).await?;
            Ok::<(), Failure>(())
        })
        .unwrap()
        .unwrap_err();
    assert!(failure.check::<Message>());
    assert_eq!(failure.message(), "no poem");
}

#[test]
fn dropping_the_future_before_it_is_ready_cancels_the_deferred() {
    let cancelled = Rc::new(Cell::new(false));
    let flag = Rc::clone(&cancelled);
    let (d, trigger) = Deferred::<u32>::with_canceller(move |_| flag.set(true));
    let mut future = Box::pin(d.into_future());
    let waker = futures::task::noop_waker();
    assert!(
        future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending()
    );
    assert!(!cancelled.get());
    drop(future);
    assert!(cancelled.get(), "the canceller ran");
    assert!(
        trigger.is_called(),
        "the deferred failed with CancelledError"
    );
}

#[test]
fn dropping_the_future_after_it_is_ready_cancels_nothing() {
    let cancelled = Rc::new(Cell::new(false));
    let flag = Rc::clone(&cancelled);
    let (d, trigger) = Deferred::<u32>::with_canceller(move |_| flag.set(true));
    let mut future = Box::pin(d.into_future());
    trigger.callback(1).unwrap();
    let waker = futures::task::noop_waker();
    let polled = future.as_mut().poll(&mut Context::from_waker(&waker));
    assert!(matches!(polled, Poll::Ready(Ok(1))));
    drop(future);
    assert!(!cancelled.get());
}

#[test]
fn a_spawned_task_is_a_deferred_that_fires_with_its_output() {
    let rt = virtual_runtime();
    let sleeper = rt.clone();
    let task = rt.spawn(async move {
        sleeper.sleep(Duration::from_secs(1)).await.unwrap();
        "done"
    });
    let seen = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&seen);
    let task = task.add_callback(move |out: &str| {
        *keep.borrow_mut() = Some(out);
        Ok(out)
    });
    // A task is polled only once the reactor runs.
    assert_eq!(*seen.borrow(), None);
    assert_eq!(rt.block_on(task.into_future()).unwrap().unwrap(), "done");
    assert_eq!(*seen.borrow(), Some("done"));
    assert_eq!(rt.tasks(), 0, "a finished task leaves the table");
}

#[test]
fn cancelling_a_spawned_task_drops_its_future_and_fails_its_deferred() {
    let rt = virtual_runtime();
    let dropped = Rc::new(Cell::new(false));
    let guard = DropFlag(Rc::clone(&dropped));
    let sleeper = rt.clone();
    let task = rt.spawn(async move {
        let _guard = guard;
        sleeper.sleep(Duration::from_secs(60)).await.unwrap();
        1
    });
    let cancel = task.cancel_handle();
    let canceller = rt.sleep(Duration::from_secs(1)).add_callback(move |()| {
        cancel.cancel();
        Ok(())
    });
    let outcome = rt.block_on(task.into_future()).unwrap();
    assert!(outcome.unwrap_err().check::<CancelledError>());
    assert!(dropped.get(), "the task's future was dropped");
    assert_eq!(rt.reactor().now(), Duration::from_secs(1));
    assert!(
        rt.reactor().pending_calls().is_empty(),
        "the task's sleep was cancelled with it"
    );
    drop(canceller);
}

#[test]
fn a_task_can_cancel_itself_while_it_runs() {
    let rt = virtual_runtime();
    let handle: Rc<RefCell<Option<part_07::CancelHandle>>> = Rc::default();
    let inside = Rc::clone(&handle);
    let sleeper = rt.clone();
    let task = rt.spawn(async move {
        if let Some(me) = inside.borrow_mut().take() {
            me.cancel();
        }
        sleeper.sleep(Duration::from_secs(1)).await.unwrap();
        7
    });
    *handle.borrow_mut() = Some(task.cancel_handle());
    let outcome = rt.block_on(task.into_future()).unwrap();
    assert!(outcome.unwrap_err().check::<CancelledError>());
    assert_eq!(rt.tasks(), 0);
}

#[test]
fn a_panic_fails_only_its_own_task_with_message_and_place() {
    let rt = virtual_runtime();
    let sleeper = rt.clone();
    let spawned_line = line!() + 2;
    let panic_line = line!() + 3;
    let broken = rt.spawn(async move {
        sleeper.sleep(Duration::from_secs(1)).await.unwrap();
        panic!("a bug in the task");
    });
    let sleeper = rt.clone();
    let healthy = rt.spawn(async move {
        sleeper.sleep(Duration::from_secs(2)).await.unwrap();
        "still here"
    });
    let failure = rt.block_on(broken.into_future()).unwrap().unwrap_err();
    let panicked = failure
        .downcast_ref::<TaskPanicked>()
        .expect("a TaskPanicked");
    assert_eq!(panicked.message, "a bug in the task");
    let place = panicked.place.as_deref().expect("a place");
    assert!(
        place.starts_with(&format!("{}:{panic_line}:", file!())),
        "{place}"
    );
    assert_eq!(failure.location().line(), spawned_line);
    assert!(failure.message().contains("a bug in the task"));
    // The reactor and the other task go on.
    assert_eq!(
        rt.block_on(healthy.into_future()).unwrap().unwrap(),
        "still here"
    );
}

#[test]
fn a_task_woken_from_another_thread_runs_on_the_reactors_thread() {
    let rt = Runtime::new(&Reactor::new().expect("a reactor"));
    let (sender, receiver) = futures::channel::oneshot::channel();
    let reactor_thread = std::thread::current().id();
    let (before, after, from) = rt
        .block_on(async move {
            let before = std::thread::current().id();
            let helper = std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                sender.send(std::thread::current().id()).unwrap();
            });
            // The reactor blocks in its wait until the other thread's
            // send wakes this task.
            let from = receiver.await.unwrap();
            helper.join().unwrap();
            (before, std::thread::current().id(), from)
        })
        .unwrap();
    assert_eq!(before, reactor_thread);
    assert_eq!(after, reactor_thread, "resumed on the reactor's thread");
    assert_ne!(from, reactor_thread, "woken by another thread");
}

#[test]
fn many_tasks_wake_each_other_through_deferreds() {
    let rt = virtual_runtime();
    let mut triggers = Vec::new();
    let mut tasks = Vec::new();
    let order = Rc::new(RefCell::new(Vec::new()));
    for i in 0..100u32 {
        let (d, trigger) = deferred::<u32>();
        triggers.push(trigger);
        let order = Rc::clone(&order);
        tasks.push(rt.spawn(async move {
            let v = d.await.unwrap();
            order.borrow_mut().push(i);
            v * 2
        }));
    }
    rt.reactor().call_later(Duration::from_secs(1), move || {
        for (i, trigger) in triggers.iter().enumerate().rev() {
            trigger.callback(i as u32).unwrap();
        }
    });
    let total = rt
        .block_on(async move {
            let mut total = 0;
            for task in tasks {
                total += task.await.unwrap();
            }
            total
        })
        .unwrap();
    assert_eq!(total, (0..100).map(|i| i * 2).sum::<u32>());
    let expected: Vec<u32> = (0..100).rev().collect();
    assert_eq!(*order.borrow(), expected, "woken in the order fired");
}

/// A future that is pending once, waking itself: a yield.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn a_task_that_wakes_itself_waits_for_the_next_turn() {
    let rt = virtual_runtime();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = (Rc::clone(&log), Rc::clone(&log));
    let first = rt.spawn(async move {
        a.borrow_mut().push("a1");
        YieldOnce(false).await;
        a.borrow_mut().push("a2");
    });
    let second = rt.spawn(async move {
        b.borrow_mut().push("b1");
        YieldOnce(false).await;
        b.borrow_mut().push("b2");
    });
    rt.block_on(async move {
        first.await.unwrap();
        second.await.unwrap();
    })
    .unwrap();
    assert_eq!(*log.borrow(), ["a1", "b1", "a2", "b2"]);
}

#[test]
fn inline_callbacks_runs_the_block_up_to_its_first_wait_at_once() {
    let rt = virtual_runtime();
    let log = Rc::new(RefCell::new(Vec::new()));
    let inside = Rc::clone(&log);
    let sleeper = rt.clone();
    let d = rt.inline_callbacks(async move {
        inside.borrow_mut().push("before the first await");
        sleeper.sleep(Duration::from_secs(1)).await?;
        inside.borrow_mut().push("after it");
        Ok(5)
    });
    log.borrow_mut().push("the call returned");
    assert!(!d.is_called());
    assert_eq!(rt.block_on(d.into_future()).unwrap().unwrap(), 5);
    assert_eq!(
        *log.borrow(),
        ["before the first await", "the call returned", "after it"]
    );
}

#[test]
fn inline_callbacks_with_an_error_before_the_first_await_gives_a_failed_deferred() {
    let rt = virtual_runtime();
    let sleeper = rt.clone();
    let d: Deferred<u32> = rt.inline_callbacks(async move {
        let n: u32 = "not a number".parse()?;
        sleeper.sleep(Duration::from_secs(1)).await?;
        Ok(n)
    });
    assert!(d.is_called(), "failed already, at the call");
    let seen = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&seen);
    let _ = d.add_errback(move |failure: Failure| {
        *keep.borrow_mut() = Some(failure.short_type_name());
        Ok(0)
    });
    assert_eq!(*seen.borrow(), Some("ParseIntError"));
    assert!(rt.reactor().pending_calls().is_empty(), "it never slept");
}

#[test]
fn inline_callbacks_with_a_panic_before_the_first_await_gives_a_failed_deferred() {
    let rt = virtual_runtime();
    let d: Deferred<u32> = rt.inline_callbacks(async {
        if true {
            panic!("before any await");
        }
        Ok(1)
    });
    assert!(d.is_called());
    let failure = rt.block_on(d.into_future()).unwrap().unwrap_err();
    assert!(failure.check::<TaskPanicked>());
    assert!(failure.message().contains("before any await"));
}

#[test]
fn inline_callbacks_that_never_awaits_gives_a_fired_deferred() {
    let rt = virtual_runtime();
    let d = rt.inline_callbacks(async { Ok("at once") });
    assert!(d.is_called());
    assert_eq!(rt.block_on(d.into_future()).unwrap().unwrap(), "at once");
}

#[test]
fn shutdown_drops_unfinished_tasks_and_fails_their_deferreds() {
    let rt = virtual_runtime();
    let dropped = Rc::new(Cell::new(false));
    let guard = DropFlag(Rc::clone(&dropped));
    let (never, _trigger) = deferred::<()>();
    let task = rt.spawn(async move {
        let _guard = guard;
        never.await
    });
    let sleeper = rt.clone();
    rt.block_on(async move { sleeper.sleep(Duration::from_secs(1)).await })
        .unwrap()
        .unwrap();
    assert_eq!(rt.tasks(), 1);
    rt.shutdown();
    assert!(dropped.get());
    assert_eq!(rt.tasks(), 0);
    let failure = rt.block_on(task.into_future()).unwrap().unwrap_err();
    assert!(failure.check::<CancelledError>());
}

#[test]
fn block_on_fails_if_the_reactor_ends_first() {
    let rt = virtual_runtime();
    let (never, _trigger) = deferred::<()>();
    let failure = rt.block_on(never.into_future()).unwrap_err();
    assert!(failure.message().contains("stopped before"), "{failure}");
}

#[test]
fn dropping_the_last_handle_on_a_runtime_drops_its_tasks_and_fails_their_deferreds() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor");
    let rt = Runtime::new(&reactor);
    let dropped = Rc::new(Cell::new(false));
    let guard = DropFlag(Rc::clone(&dropped));
    let (never, _trigger) = deferred::<()>();
    let task = rt.spawn(async move {
        let _guard = guard;
        never.await
    });
    let outcome = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&outcome);
    let _ = task.add_both(move |r: Result<Result<(), Failure>, Failure>| {
        *keep.borrow_mut() = Some(r.is_err_and(|f| f.check::<CancelledError>()));
    });
    drop(rt);
    assert!(dropped.get());
    assert_eq!(*outcome.borrow(), Some(true));
}
