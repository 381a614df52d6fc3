//! Reaching a reactor from another thread, on both backends: a call from a
//! thread wakes a reactor blocked in its backend; calls queued before `run`
//! run at its start, in order, guarded; a virtual clock is not held up by
//! a handle that merely exists; a handle outlives its reactor safely.

use std::cell::RefCell;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use part_03::{
    BackendKind, Clock, Disconnect, FailedCall, FileDescriptor, Reactor, ReactorError,
    ReadDescriptor, VirtualClock,
};

/// A reader on a socket nobody ever writes to: watching it keeps the
/// backend waiting, and it is never called.
struct Silent(UnixStream);

impl FileDescriptor for Silent {
    fn fileno(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl ReadDescriptor for Silent {
    fn do_read(&mut self, _: &Reactor) -> Result<(), Disconnect> {
        panic!("nothing was ever written to this socket");
    }
}

/// Runs a reactor on a real clock on a thread of its own, with nothing to
/// wake it but a call from this thread, queued once it is blocked in its
/// backend. Returns how long the call took to arrive, or `None` if it never
/// did within five seconds.
fn woken_from_another_thread(
    backend: BackendKind,
    watch_a_silent_socket: bool,
) -> Option<Duration> {
    let (handles, handle_rx) = mpsc::channel();
    let (results, result_rx) = mpsc::channel();
    thread::spawn(move || {
        let reactor = Reactor::with(backend, Clock::real()).unwrap();
        let (_peer, socket) = UnixStream::pair().unwrap();
        if watch_a_silent_socket {
            reactor
                .add_reader(Rc::new(RefCell::new(Silent(socket))))
                .unwrap();
        }
        handles.send(reactor.handle()).unwrap();
        reactor.run().unwrap();
        let _ = results.send(thread::current().id());
    });
    let handle = handle_rx.recv().unwrap();
    // Let the reactor reach its wait (no timers: it would wait for ever).
    thread::sleep(Duration::from_millis(50));
    let asked = Instant::now();
    let reactor_thread = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&reactor_thread);
    handle
        .call_from_thread(move |reactor: &Reactor| {
            *seen.lock().unwrap() = Some(thread::current().id());
            reactor.stop()
        })
        .unwrap();
    let ran_on = result_rx.recv_timeout(Duration::from_secs(5)).ok()?;
    assert_eq!(
        *reactor_thread.lock().unwrap(),
        Some(ran_on),
        "the call ran on the reactor's thread"
    );
    Some(asked.elapsed())
}

#[test]
fn a_call_from_a_thread_wakes_a_reactor_blocked_in_its_backend() {
    for backend in BackendKind::ALL {
        // With nothing at all to do, and waiting on a socket that stays silent.
        for watch_a_silent_socket in [false, true] {
            let took = woken_from_another_thread(backend, watch_a_silent_socket);
            assert!(
                took.is_some_and(|t| t < Duration::from_secs(2)),
                "{backend:?}, watching a socket: {watch_a_silent_socket}: {took:?}"
            );
        }
    }
}

#[test]
fn calls_queued_before_run_run_at_its_start_in_order_and_guarded() {
    for backend in BackendKind::ALL {
        let reactor = Reactor::with(backend, VirtualClock::new()).unwrap();
        let failures: Rc<RefCell<Vec<FailedCall>>> = Rc::default();
        let sink = Rc::clone(&failures);
        reactor.on_failure(move |failure| sink.borrow_mut().push(failure.clone()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let handle = reactor.handle();
        let queuer = thread::spawn({
            let log = Arc::clone(&log);
            move || {
                for n in 1..=3 {
                    let log = Arc::clone(&log);
                    handle
                        .call_from_thread(move |reactor: &Reactor| {
                            if n == 2 {
                                panic!("call {n} broke");
                            }
                            log.lock()
                                .unwrap()
                                .push(format!("call {n} at {:?}", reactor.now()));
                        })
                        .unwrap();
                }
            }
        });
        queuer.join().unwrap();
        let timer_log = Arc::clone(&log);
        reactor.call_later(Duration::from_secs(1), move || {
            timer_log.lock().unwrap().push("timer".to_string());
        });

        reactor.run().unwrap();
        assert_eq!(
            *log.lock().unwrap(),
            ["call 1 at 0ns", "call 3 at 0ns", "timer"],
            "{backend:?}"
        );
        let failures = failures.borrow();
        assert_eq!(failures.len(), 1, "{backend:?}: {failures:?}");
        assert!(
            failures[0]
                .what
                .starts_with("call from a thread scheduled at")
                && failures[0].what.contains("tests/handle.rs")
                && failures[0].how.contains("call 2 broke"),
            "{:?}",
            failures[0]
        );
    }
}

#[test]
fn a_call_queued_by_a_queued_call_runs_on_the_next_turn() {
    for backend in BackendKind::ALL {
        let reactor = Reactor::with(backend, VirtualClock::new()).unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (again, first, second) = (reactor.handle(), Arc::clone(&log), Arc::clone(&log));
        reactor
            .handle()
            .call_from_thread(move |_: &Reactor| {
                first.lock().unwrap().push("first");
                // Queued from inside the loop, with nothing else left to do
                // on a virtual clock: the queued call is work, and runs.
                again.call_from_thread(move |_: &Reactor| second.lock().unwrap().push("second"))
            })
            .unwrap();
        reactor.run().unwrap();
        assert_eq!(*log.lock().unwrap(), ["first", "second"], "{backend:?}");
    }
}

#[test]
fn a_stop_queued_before_run_stops_it_at_its_start() {
    for backend in BackendKind::ALL {
        let reactor = Reactor::with(backend, VirtualClock::new()).unwrap();
        let ran = Rc::new(RefCell::new(false));
        let flag = Rc::clone(&ran);
        reactor.call_later(Duration::from_secs(1), move || *flag.borrow_mut() = true);
        let handle = reactor.handle();
        thread::spawn(move || handle.stop().unwrap())
            .join()
            .unwrap();

        reactor.run().unwrap();
        assert!(
            !*ran.borrow(),
            "{backend:?}: stopped before its first timer"
        );
        assert_eq!(reactor.pending_calls().len(), 1);
    }
}

#[test]
fn a_live_handle_does_not_keep_a_virtual_clock_waiting_for_real_time() {
    for backend in BackendKind::ALL {
        let clock = VirtualClock::new();
        let reactor = Reactor::with(backend, clock.clone()).unwrap();
        let _handle = reactor.handle();
        let fired = Rc::new(RefCell::new(false));
        let flag = Rc::clone(&fired);
        reactor.call_later(Duration::from_secs(3600), move || *flag.borrow_mut() = true);

        let started = Instant::now();
        reactor.run().unwrap(); // nothing queued, no timers left, nothing watched
        assert!(*fired.borrow(), "{backend:?}");
        assert_eq!(clock.now(), Duration::from_secs(3600));
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{backend:?}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_handle_outlives_its_reactor_and_says_so() {
    let reactor = Reactor::new().unwrap();
    let handle = reactor.handle();
    let captured = Arc::new(());
    let held = Arc::clone(&captured);
    handle
        .call_from_thread(move |_: &Reactor| drop(held))
        .unwrap();
    assert_eq!(Arc::strong_count(&captured), 2, "queued, not yet run");

    drop(reactor);
    assert_eq!(
        Arc::strong_count(&captured),
        1,
        "the queued call was dropped with the reactor"
    );
    assert!(matches!(handle.stop(), Err(ReactorError::Gone)));
    assert!(matches!(
        handle.call_from_thread(|_: &Reactor| ()),
        Err(ReactorError::Gone)
    ));
}
