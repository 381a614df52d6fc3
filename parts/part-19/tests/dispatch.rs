//! The dispatch queue's rules, the scene the book draws, and the tokio
//! pool's rules in tokio's paused time.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use part_07::{CancelledError, Deferred, Failure, Trigger, succeed};
use part_19::dispatch::{DispatchQueue, NotStarted};
use part_19::dispatch_scene::run_scene;
use part_19::tokio_dispatch::TokioDispatch;

mod support;
use support::{Seen, count_unhandled, failure, value, watch};

/// Jobs the test finishes by hand: which started (in order), their
/// triggers, and which were cancelled.
#[derive(Clone, Default)]
struct Jobs {
    started: Rc<RefCell<Vec<u32>>>,
    triggers: Rc<RefCell<HashMap<u32, Trigger<u32>>>>,
    cancelled: Rc<RefCell<Vec<u32>>>,
}

impl Jobs {
    fn queue(&self, width: usize) -> DispatchQueue<u32, u32> {
        let jobs = self.clone();
        DispatchQueue::new(width, move |n: u32| {
            jobs.started.borrow_mut().push(n);
            let cancelled = Rc::clone(&jobs.cancelled);
            let (d, t) =
                Deferred::with_canceller(move |_: &Trigger<u32>| cancelled.borrow_mut().push(n));
            jobs.triggers.borrow_mut().insert(n, t);
            d
        })
    }

    fn finish(&self, n: u32) {
        let trigger = self
            .triggers
            .borrow_mut()
            .remove(&n)
            .expect("job {n} started");
        trigger.callback(n * 10).unwrap();
    }

    fn started(&self) -> Vec<u32> {
        self.started.borrow().clone()
    }
}

fn put(queue: &DispatchQueue<u32, u32>, n: u32) -> Seen<u32> {
    watch(
        queue
            .put(n)
            .unwrap_or_else(|_| panic!("the queue took job {n}")),
    )
}

#[test]
fn no_more_than_width_jobs_run_and_they_start_in_the_order_put() {
    let jobs = Jobs::default();
    let queue = jobs.queue(2);
    let seen: Vec<Seen<u32>> = (1..=5).map(|n| put(&queue, n)).collect();
    assert_eq!(jobs.started(), [1, 2]);
    assert_eq!((queue.underway(), queue.waiting()), (2, 3));
    jobs.finish(2);
    assert_eq!(value(&seen[1]), Some(20));
    assert_eq!(
        jobs.started(),
        [1, 2, 3],
        "a free place takes the oldest waiting job"
    );
    jobs.finish(1);
    jobs.finish(3);
    assert_eq!(jobs.started(), [1, 2, 3, 4, 5]);
}

#[test]
fn growing_starts_waiting_jobs_at_once() {
    let jobs = Jobs::default();
    let queue = jobs.queue(1);
    for n in 1..=5 {
        let _ = put(&queue, n);
    }
    queue.set_width(4);
    assert_eq!(jobs.started(), [1, 2, 3, 4]);
    assert_eq!(queue.width(), 4);
}

#[test]
fn shrinking_lets_running_jobs_finish_and_starts_none_until_below_the_width() {
    let jobs = Jobs::default();
    let queue = jobs.queue(3);
    for n in 1..=5 {
        let _ = put(&queue, n);
    }
    queue.set_width(1);
    assert!(jobs.cancelled.borrow().is_empty(), "nothing is cancelled");
    assert_eq!(queue.underway(), 3);
    jobs.finish(1);
    jobs.finish(2);
    assert_eq!(
        jobs.started(),
        [1, 2, 3],
        "one still under way: no room at width 1"
    );
    jobs.finish(3);
    assert_eq!(jobs.started(), [1, 2, 3, 4]);
    assert_eq!(queue.underway(), 1);
}

#[test]
fn a_width_of_zero_starts_nothing() {
    let jobs = Jobs::default();
    let queue = jobs.queue(0);
    let _ = put(&queue, 1);
    assert!(jobs.started().is_empty());
    queue.set_width(1);
    assert_eq!(jobs.started(), [1]);
}

#[test]
fn pause_starts_nothing_more_and_resume_carries_on() {
    let jobs = Jobs::default();
    let queue = jobs.queue(2);
    for n in 1..=4 {
        let _ = put(&queue, n);
    }
    queue.pause();
    assert!(queue.is_paused());
    jobs.finish(1);
    let _ = put(&queue, 5);
    assert_eq!(
        jobs.started(),
        [1, 2],
        "paused: job 2 runs on, nothing starts"
    );
    queue.resume();
    assert_eq!(jobs.started(), [1, 2, 3]);
}

#[test]
fn stop_hands_back_the_waiting_jobs_once_the_running_ones_finish() {
    let (_guard, reported) = count_unhandled();
    let jobs = Jobs::default();
    let queue = jobs.queue(2);
    let seen: Vec<Seen<u32>> = (1..=5).map(|n| put(&queue, n)).collect();
    let handed_back: Rc<RefCell<Option<Vec<u32>>>> = Rc::default();
    let slot = Rc::clone(&handed_back);
    let _ = queue.stop().add_callback(move |jobs: Vec<u32>| {
        *slot.borrow_mut() = Some(jobs);
    });
    assert!(queue.is_stopped());
    for n in [2, 3, 4] {
        assert!(
            failure(&seen[n]).unwrap().check::<NotStarted>(),
            "job {}",
            n + 1
        );
    }
    assert!(
        handed_back.borrow().is_none(),
        "jobs 1 and 2 are still under way"
    );
    assert_eq!(
        queue.put(6).err(),
        Some(6),
        "a stopped queue hands a job back"
    );
    jobs.finish(1);
    assert!(handed_back.borrow().is_none());
    jobs.finish(2);
    assert_eq!(handed_back.borrow().clone(), Some(vec![3, 4, 5]));
    assert_eq!(jobs.started(), [1, 2]);
    assert_eq!(value(&seen[0]), Some(10));
    // A second stop has nothing to hand back.
    let again: Rc<RefCell<Option<Vec<u32>>>> = Rc::default();
    let slot = Rc::clone(&again);
    let _ = queue.stop().add_callback(move |jobs: Vec<u32>| {
        *slot.borrow_mut() = Some(jobs);
    });
    assert_eq!(again.borrow().clone(), Some(vec![]));
    assert_eq!(reported.get(), 0);
}

#[test]
fn cancelling_a_waiting_job_takes_it_out_of_the_queue() {
    let jobs = Jobs::default();
    let queue = jobs.queue(1);
    let _first = put(&queue, 1);
    let second = queue.put(2).unwrap();
    let handle = second.cancel_handle();
    let seen2: Seen<u32> = Rc::default();
    let slot = Rc::clone(&seen2);
    let _ = second.add_both(move |o: Result<u32, Failure>| *slot.borrow_mut() = Some(o));
    let _third = put(&queue, 3);
    handle.cancel();
    assert!(failure(&seen2).unwrap().check::<CancelledError>());
    assert_eq!(queue.waiting(), 1);
    jobs.finish(1);
    assert_eq!(jobs.started(), [1, 3], "job 2 never ran");
    assert!(
        jobs.cancelled.borrow().is_empty(),
        "it had no work to cancel"
    );
}

#[test]
fn cancelling_a_running_job_cancels_its_work_and_frees_its_place() {
    let jobs = Jobs::default();
    let queue = jobs.queue(1);
    let first = queue.put(1).unwrap();
    let handle = first.cancel_handle();
    let seen1: Seen<u32> = Rc::default();
    let slot = Rc::clone(&seen1);
    let _ = first.add_both(move |o: Result<u32, Failure>| *slot.borrow_mut() = Some(o));
    let _second = put(&queue, 2);
    handle.cancel();
    assert_eq!(*jobs.cancelled.borrow(), [1]);
    assert!(failure(&seen1).unwrap().check::<CancelledError>());
    assert_eq!(jobs.started(), [1, 2], "the freed place went to job 2");
}

#[test]
fn a_running_job_whose_work_answers_a_cancel_gets_that_answer() {
    let queue = DispatchQueue::new(1, |n: u32| {
        let (d, _) = Deferred::with_canceller(move |t: &Trigger<u32>| {
            let _ = t.callback(n * 100);
        });
        d
    });
    let first = queue.put(1).unwrap();
    let handle = first.cancel_handle();
    let (seen1, seen2) = (watch(first), put(&queue, 2));
    handle.cancel();
    assert_eq!(
        value(&seen1),
        Some(100),
        "as a plain deferred's canceller would"
    );
    assert!(seen2.borrow().is_none());
    assert_eq!(queue.underway(), 1, "job 2 took the place");
}

#[test]
fn a_job_cancelled_while_its_function_runs_has_its_work_cancelled() {
    let jobs = Jobs::default();
    let handle: Rc<RefCell<Option<part_07::CancelHandle>>> = Rc::default();
    let queue = {
        // `Jobs::queue`'s function, plus, for job 2, a cancel of job 2's
        // deferred (what a callback it fires on the way might do).
        let (jobs, handle) = (jobs.clone(), Rc::clone(&handle));
        DispatchQueue::new(1, move |n: u32| {
            jobs.started.borrow_mut().push(n);
            let cancelled = Rc::clone(&jobs.cancelled);
            let (d, t) =
                Deferred::with_canceller(move |_: &Trigger<u32>| cancelled.borrow_mut().push(n));
            jobs.triggers.borrow_mut().insert(n, t);
            if n == 2 {
                let handle = handle.borrow().clone();
                handle.expect("job 2's handle").cancel();
            }
            d
        })
    };
    let _first = put(&queue, 1);
    let second = queue.put(2).unwrap();
    *handle.borrow_mut() = Some(second.cancel_handle());
    let seen2 = watch(second);
    let _third = put(&queue, 3);
    jobs.finish(1);
    assert!(failure(&seen2).unwrap().check::<CancelledError>());
    assert_eq!(*jobs.cancelled.borrow(), [2], "job 2's work was cancelled");
    assert_eq!(jobs.started(), [1, 2, 3], "and its place went to job 3");
}

#[test]
fn a_failing_or_panicking_job_fails_its_deferred_and_frees_its_place() {
    let queue = DispatchQueue::new(1, |n: u32| -> Deferred<u32> {
        match n {
            1 => part_07::fail(Failure::msg("no signal")),
            2 => panic!("the phone exploded"),
            n => succeed(n),
        }
    });
    let seen: Vec<Seen<u32>> = (1..=3).map(|n| put(&queue, n)).collect();
    assert_eq!(failure(&seen[0]).unwrap().message(), "no signal");
    assert!(
        failure(&seen[1])
            .unwrap()
            .message()
            .contains("the phone exploded")
    );
    assert_eq!(value(&seen[2]), Some(3));
    assert_eq!(queue.underway(), 0);
}

#[test]
fn a_job_put_from_a_jobs_callback_waits_its_turn() {
    let jobs = Jobs::default();
    let queue = jobs.queue(1);
    let again = queue.clone();
    let first = queue.put(1).unwrap();
    let _ = first.add_callback(move |_: u32| {
        let _ = again.put(9);
    });
    let _ = put(&queue, 2);
    jobs.finish(1);
    assert_eq!(jobs.started(), [1, 2], "job 9 queued behind job 2");
    jobs.finish(2);
    assert_eq!(jobs.started(), [1, 2, 9]);
}

#[test]
fn a_stop_called_by_a_running_job_waits_for_that_job() {
    type Slot = Rc<RefCell<Option<DispatchQueue<u32, u32>>>>;
    let handle: Slot = Rc::default();
    let handed_back: Rc<RefCell<Option<Vec<u32>>>> = Rc::default();
    let triggers: Rc<RefCell<Vec<Trigger<u32>>>> = Rc::default();
    let queue = {
        let (handle, handed_back, triggers) = (
            Rc::clone(&handle),
            Rc::clone(&handed_back),
            Rc::clone(&triggers),
        );
        DispatchQueue::new(1, move |n: u32| {
            if n == 1 {
                let queue = handle.borrow().clone().expect("the queue");
                let slot = Rc::clone(&handed_back);
                let _ = queue.stop().add_callback(move |jobs: Vec<u32>| {
                    *slot.borrow_mut() = Some(jobs);
                });
            }
            let (d, t) = part_07::deferred();
            triggers.borrow_mut().push(t);
            d
        })
    };
    *handle.borrow_mut() = Some(queue.clone());
    let first = put(&queue, 1);
    assert!(
        handed_back.borrow().is_none(),
        "job 1 called stop, and job 1 is still under way"
    );
    assert_eq!(queue.put(2).err(), Some(2), "stopped");
    let trigger = triggers.borrow_mut().remove(0);
    trigger.callback(10).unwrap();
    assert_eq!(value(&first), Some(10));
    assert_eq!(handed_back.borrow().clone(), Some(vec![]));
    handle.borrow_mut().take(); // the queue's run function held it
}

#[test]
fn a_queue_whose_handles_are_dropped_still_runs_what_it_holds() {
    let jobs = Jobs::default();
    let queue = jobs.queue(1);
    let seen: Vec<Seen<u32>> = (1..=2).map(|n| put(&queue, n)).collect();
    drop(queue);
    jobs.finish(1);
    jobs.finish(2);
    assert_eq!((value(&seen[0]), value(&seen[1])), (Some(10), Some(20)));
}

#[test]
fn in_the_books_scene_no_more_jobs_run_than_the_width_allows() {
    let timeline = run_scene(false).unwrap();
    // The width (0 while paused) in force at `at`.
    let width_at = |at: Duration| {
        timeline
            .widths
            .iter()
            .rev()
            .find(|w| w.0 <= at)
            .map_or(0, |&(_, w, paused)| if paused { 0 } else { w })
    };
    for &(n, start, _) in &timeline.runs {
        let running = timeline
            .runs
            .iter()
            .filter(|&&(_, s, end)| s <= start && end.is_none_or(|e| e > start))
            .count();
        assert!(
            running <= width_at(start),
            "message {n} started at {start:?} with {running} running"
        );
    }
    assert_eq!(timeline.returned.unwrap().1, [16]);
    assert_eq!(timeline.runs.len(), 15);
}

// ---- tokio ----

/// Runs `body` in a `LocalSet` on a current-thread runtime with paused
/// time.
fn on_tokio<T>(body: impl Future<Output = T>) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    tokio::task::LocalSet::new().block_on(&runtime, body)
}

/// A pool whose jobs sleep `secs` seconds, counting how many run at once
/// and the most that ever did, and noting when each started.
struct Probe {
    running: Rc<Cell<usize>>,
    most: Rc<Cell<usize>>,
    starts: Rc<RefCell<Vec<(u64, u128)>>>,
}

fn probe_pool(width: usize) -> (TokioDispatch<u64, impl Future<Output = u64>>, Probe) {
    let probe = Probe {
        running: Rc::default(),
        most: Rc::default(),
        starts: Rc::default(),
    };
    let (running, most, starts) = (
        Rc::clone(&probe.running),
        Rc::clone(&probe.most),
        Rc::clone(&probe.starts),
    );
    let origin = tokio::time::Instant::now();
    let pool = TokioDispatch::new(width, move |secs: u64| {
        let (running, most, starts) = (Rc::clone(&running), Rc::clone(&most), Rc::clone(&starts));
        async move {
            starts
                .borrow_mut()
                .push((secs, origin.elapsed().as_millis()));
            running.set(running.get() + 1);
            most.set(most.get().max(running.get()));
            tokio::time::sleep(Duration::from_secs(secs)).await;
            running.set(running.get() - 1);
            secs
        }
    });
    (pool, probe)
}

#[test]
fn on_tokio_no_more_than_width_run_and_growing_starts_more() {
    let (most, outputs) = on_tokio(async {
        let (pool, probe) = probe_pool(2);
        let handles: Vec<_> = [1, 1, 1, 1, 1, 1]
            .into_iter()
            .map(|s| pool.put(s))
            .collect();
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(probe.running.get(), 2);
        pool.set_width(3);
        tokio::task::yield_now().await;
        assert_eq!(probe.running.get(), 3, "wider: one more starts at once");
        let mut outputs = Vec::new();
        for handle in handles {
            outputs.push(handle.await.unwrap());
        }
        (probe.most.get(), outputs)
    });
    assert_eq!(most, 3);
    assert_eq!(outputs, [Ok(1); 6]);
}

#[test]
fn on_tokio_shrinking_lets_running_jobs_finish() {
    let starts = on_tokio(async {
        let (pool, probe) = probe_pool(3);
        let handles: Vec<_> = [2, 2, 2, 1, 1].into_iter().map(|s| pool.put(s)).collect();
        tokio::time::sleep(Duration::from_millis(500)).await;
        pool.set_width(1);
        tokio::time::sleep(Duration::from_millis(1)).await;
        assert_eq!(probe.running.get(), 3, "nothing was stopped");
        for handle in handles {
            handle.await.unwrap().unwrap();
        }
        assert_eq!(probe.most.get(), 3);
        probe.starts.borrow().clone()
    });
    // Jobs 4 and 5 start one at a time, after all three have finished.
    assert_eq!(starts[3..], [(1, 2000), (1, 3000)]);
}

#[test]
fn on_tokio_pause_holds_new_jobs_and_stop_hands_back_the_waiting_ones() {
    let (paused_starts, outputs) = on_tokio(async {
        let (pool, probe) = probe_pool(1);
        let first = pool.put(2);
        tokio::task::yield_now().await;
        pool.pause();
        let second = pool.put(1);
        let third = pool.put(1);
        tokio::time::sleep(Duration::from_secs(3)).await;
        let paused_starts = probe.starts.borrow().len();
        pool.resume();
        tokio::time::sleep(Duration::from_millis(100)).await;
        pool.stop();
        let outputs = (
            first.await.unwrap(),
            second.await.unwrap(),
            third.await.unwrap(),
        );
        (paused_starts, outputs)
    });
    assert_eq!(
        paused_starts, 1,
        "job 1 ran on; nothing started while paused"
    );
    assert_eq!(
        outputs,
        (Ok(2), Ok(1), Err(1)),
        "the third job is handed back"
    );
}

#[test]
fn on_tokio_aborting_a_waiting_job_cancels_it() {
    let starts = on_tokio(async {
        let (pool, probe) = probe_pool(1);
        let first = pool.put(1);
        let second = pool.put(5);
        let third = pool.put(1);
        second.abort();
        assert!(second.await.unwrap_err().is_cancelled());
        first.await.unwrap().unwrap();
        third.await.unwrap().unwrap();
        probe.starts.borrow().clone()
    });
    assert_eq!(starts, [(1, 0), (1, 1000)]);
}

#[test]
fn on_tokio_aborting_a_running_job_frees_its_place() {
    let starts = on_tokio(async {
        let (pool, probe) = probe_pool(1);
        let first = pool.put(5);
        let second = pool.put(1);
        tokio::task::yield_now().await;
        assert_eq!(probe.running.get(), 1, "job 1 is running");
        first.abort();
        assert!(first.await.unwrap_err().is_cancelled());
        second.await.unwrap().unwrap();
        probe.starts.borrow().clone()
    });
    assert_eq!(starts, [(5, 0), (1, 0)], "job 2 took job 1's place at once");
}

#[test]
fn on_tokio_aborting_a_running_job_after_a_shrink_pays_the_debt() {
    let starts = on_tokio(async {
        let (pool, probe) = probe_pool(2);
        let first = pool.put(5);
        let second = pool.put(5);
        let third = pool.put(1);
        tokio::task::yield_now().await;
        pool.set_width(1);
        first.abort();
        assert!(first.await.unwrap_err().is_cancelled());
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(probe.starts.borrow().len(), 2, "width 1: job 2 still runs");
        second.abort();
        assert!(second.await.unwrap_err().is_cancelled());
        third.await.unwrap().unwrap();
        probe.starts.borrow().clone()
    });
    assert_eq!(starts, [(5, 0), (5, 0), (1, 1000)]);
}

#[test]
fn on_tokio_jobs_start_in_the_order_put_after_a_pause() {
    let starts = on_tokio(async {
        let (pool, probe) = probe_pool(4);
        pool.pause();
        let handles: Vec<_> = (1..=12).map(|s| pool.put(s)).collect();
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(probe.starts.borrow().is_empty(), "paused: nothing starts");
        pool.resume();
        for handle in handles {
            handle.await.unwrap().unwrap();
        }
        probe.starts.borrow().clone()
    });
    let order: Vec<u64> = starts.iter().map(|(secs, _)| *secs).collect();
    assert_eq!(order, (1..=12).collect::<Vec<_>>());
}

#[test]
fn on_tokio_a_width_set_while_paused_applies_on_resume() {
    let (most, starts) = on_tokio(async {
        let (pool, probe) = probe_pool(1);
        let first = pool.put(2);
        tokio::task::yield_now().await;
        pool.pause();
        pool.set_width(3);
        let rest: Vec<_> = [1, 1, 1, 1].into_iter().map(|s| pool.put(s)).collect();
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(
            probe.starts.borrow().len(),
            1,
            "paused: the new width waits"
        );
        pool.resume();
        first.await.unwrap().unwrap();
        for handle in rest {
            handle.await.unwrap().unwrap();
        }
        (probe.most.get(), probe.starts.borrow().clone())
    });
    assert_eq!(most, 3);
    assert_eq!(starts, [(2, 0), (1, 3000), (1, 3000), (1, 3000), (1, 4000)]);
}

#[test]
fn on_tokio_a_stop_while_paused_hands_back_every_waiting_job() {
    let (outputs, starts) = on_tokio(async {
        let (pool, probe) = probe_pool(2);
        let first = pool.put(2);
        tokio::task::yield_now().await;
        pool.pause();
        let waiting: Vec<_> = [1, 3].into_iter().map(|s| pool.put(s)).collect();
        tokio::time::sleep(Duration::from_secs(1)).await;
        pool.stop();
        pool.resume(); // too late: a stopped pool stays stopped
        let mut outputs = vec![first.await.unwrap()];
        for handle in waiting {
            outputs.push(handle.await.unwrap());
        }
        (outputs, probe.starts.borrow().clone())
    });
    assert_eq!(outputs, [Ok(2), Err(1), Err(3)]);
    assert_eq!(starts, [(2, 0)], "job 1 ran on; nothing else started");
}
