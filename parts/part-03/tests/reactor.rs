//! The reactor's behaviour, on both backends: timers and their order,
//! cancellation, call-when-running, stopping, failures reported while the
//! loop goes on, readers and writers called when (and only when) their
//! descriptors are ready. Timing is tested on a virtual clock: no real
//! sleeping.

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_03::{
    BackendKind, CallState, CancelError, Clock, Disconnect, FailedCall, FileDescriptor, Reactor,
    ReactorError, ReadDescriptor, VirtualClock, WriteDescriptor,
};

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A reactor on a virtual clock, and a log its callbacks write to.
fn virtual_reactor(backend: BackendKind) -> (Reactor, VirtualClock, Rc<RefCell<Vec<String>>>) {
    let clock = VirtualClock::new();
    let reactor = Reactor::with(backend, clock.clone()).unwrap();
    (reactor, clock, Rc::default())
}

fn note(log: &Rc<RefCell<Vec<String>>>, what: impl Into<String>) {
    log.borrow_mut().push(what.into());
}

/// Collects failure reports instead of printing them.
fn collect_failures(reactor: &Reactor) -> Rc<RefCell<Vec<FailedCall>>> {
    let failures: Rc<RefCell<Vec<FailedCall>>> = Rc::default();
    let sink = Rc::clone(&failures);
    reactor.on_failure(move |failure| sink.borrow_mut().push(failure.clone()));
    failures
}

fn timers_fire_in_deadline_order_and_ties_in_scheduling_order(backend: BackendKind) {
    let (reactor, clock, log) = virtual_reactor(backend);
    for (delay, name) in [
        (3, "c"),
        (1, "a1"),
        (2, "b"),
        (1, "a2"),
        (0, "zero"),
        (1, "a3"),
    ] {
        let (log, clock) = (Rc::clone(&log), clock.clone());
        reactor.call_later(secs(delay), move || {
            note(&log, format!("{name}@{}", clock.now().as_secs()))
        });
    }
    let started = Instant::now();
    reactor.run().unwrap(); // returns: virtual clock, nothing left to do
    assert_eq!(
        *log.borrow(),
        ["zero@0", "a1@1", "a2@1", "a3@1", "b@2", "c@3"]
    );
    assert_eq!(clock.now(), secs(3));
    assert!(started.elapsed() < secs(1), "no real waiting");
}

fn a_timer_scheduled_by_a_timer_runs_in_order(backend: BackendKind) {
    let (reactor, _clock, log) = virtual_reactor(backend);
    let (r, l) = (reactor.clone(), Rc::clone(&log));
    reactor.call_later(secs(1), move || {
        note(&l, "outer");
        let l2 = Rc::clone(&l);
        r.call_later(secs(1), move || note(&l2, "inner"));
    });
    let l = Rc::clone(&log);
    reactor.call_later(secs(3), move || note(&l, "last"));
    reactor.run().unwrap();
    assert_eq!(*log.borrow(), ["outer", "inner", "last"]);
}

fn cancel_before_and_after_firing(backend: BackendKind) {
    let (reactor, _clock, log) = virtual_reactor(backend);
    let l = Rc::clone(&log);
    let doomed = reactor.call_later(secs(2), move || note(&l, "doomed ran"));
    let l = Rc::clone(&log);
    let fired = reactor.call_later(secs(1), move || note(&l, "fired"));
    assert!(doomed.active() && fired.active());

    assert_eq!(doomed.cancel(), Ok(()));
    assert!(!doomed.active());
    assert_eq!(doomed.state(), CallState::Cancelled);
    assert_eq!(doomed.cancel(), Err(CancelError::AlreadyCancelled));

    reactor.run().unwrap();
    assert_eq!(*log.borrow(), ["fired"]);
    assert_eq!(fired.state(), CallState::Called);
    assert!(!fired.active());
    assert_eq!(fired.cancel(), Err(CancelError::AlreadyCalled));
}

fn a_callback_can_cancel_a_later_call_due_at_the_same_time(backend: BackendKind) {
    let (reactor, _clock, log) = virtual_reactor(backend);
    let victim: Rc<RefCell<Option<part_03::DelayedCall>>> = Rc::default();
    let v = Rc::clone(&victim);
    reactor.call_later(secs(1), move || {
        v.borrow().as_ref().unwrap().cancel().unwrap();
    });
    let l = Rc::clone(&log);
    *victim.borrow_mut() = Some(reactor.call_later(secs(1), move || note(&l, "victim ran")));
    reactor.run().unwrap();
    assert!(log.borrow().is_empty());
}

fn call_when_running_runs_first_and_in_order(backend: BackendKind) {
    let (reactor, _clock, log) = virtual_reactor(backend);
    let l = Rc::clone(&log);
    reactor.call_later(Duration::ZERO, move || note(&l, "timer"));
    for name in ["first", "second"] {
        let l = Rc::clone(&log);
        reactor.call_when_running(move || note(&l, name));
    }
    assert!(log.borrow().is_empty(), "nothing runs before run()");
    // Asked for while running: it runs on the next turn.
    let (r, l) = (reactor.clone(), Rc::clone(&log));
    reactor.call_later(secs(1), move || {
        let l2 = Rc::clone(&l);
        r.call_when_running(move || note(&l2, "while running"));
        note(&l, "asked");
    });
    reactor.run().unwrap();
    assert_eq!(
        *log.borrow(),
        ["first", "second", "timer", "asked", "while running"]
    );
}

fn stop_from_a_callback_returns_after_that_callback(backend: BackendKind) {
    let (reactor, clock, log) = virtual_reactor(backend);
    let (r, l) = (reactor.clone(), Rc::clone(&log));
    reactor.call_later(secs(1), move || {
        r.stop().unwrap();
        note(&l, "stopper finished");
    });
    let l = Rc::clone(&log);
    reactor.call_later(secs(1), move || note(&l, "same time, after the stop"));
    let l = Rc::clone(&log);
    reactor.call_later(secs(5), move || note(&l, "later"));

    reactor.run().unwrap();
    assert_eq!(*log.borrow(), ["stopper finished"]);
    assert_eq!(clock.now(), secs(1));
    assert!(!reactor.is_running());

    // The calls not yet run are still scheduled: running again runs them.
    reactor.run().unwrap();
    assert_eq!(
        *log.borrow(),
        ["stopper finished", "same time, after the stop", "later"]
    );
}

fn stop_when_not_running_is_an_error(backend: BackendKind) {
    let (reactor, _clock, _log) = virtual_reactor(backend);
    assert!(matches!(reactor.stop(), Err(ReactorError::NotRunning)));
    // Twice from inside: the second is an error too, and the loop still stops.
    let r = reactor.clone();
    let second: Rc<RefCell<Option<bool>>> = Rc::default();
    let s = Rc::clone(&second);
    reactor.call_when_running(move || {
        r.stop().unwrap();
        *s.borrow_mut() = Some(matches!(r.stop(), Err(ReactorError::AlreadyStopping)));
    });
    reactor.run().unwrap();
    assert_eq!(*second.borrow(), Some(true));
    assert!(matches!(reactor.stop(), Err(ReactorError::NotRunning)));
}

fn run_inside_run_is_an_error(backend: BackendKind) {
    let (reactor, _clock, _log) = virtual_reactor(backend);
    let r = reactor.clone();
    let nested: Rc<Cell<bool>> = Rc::default();
    let n = Rc::clone(&nested);
    reactor.call_when_running(move || n.set(matches!(r.run(), Err(ReactorError::AlreadyRunning))));
    reactor.run().unwrap();
    assert!(nested.get());
}

fn a_failing_callback_is_reported_and_the_next_still_runs(backend: BackendKind) {
    let (reactor, _clock, log) = virtual_reactor(backend);
    let failures = collect_failures(&reactor);
    reactor.call_later(secs(1), || -> () { panic!("the poem was too long") });
    reactor.call_later(secs(2), || Err::<(), _>("no rhyme found"));
    let l = Rc::clone(&log);
    reactor.call_later(secs(3), move || note(&l, "still running"));
    reactor.run().unwrap();

    assert_eq!(*log.borrow(), ["still running"]);
    let failures = failures.borrow();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(
        failures[0]
            .what
            .starts_with("timed call scheduled at parts/part-03/tests/reactor.rs:"),
        "{:?}",
        failures[0]
    );
    assert!(
        failures[0]
            .how
            .starts_with("panicked at parts/part-03/tests/reactor.rs:"),
        "{:?}",
        failures[0]
    );
    assert!(
        failures[0].how.ends_with(": the poem was too long"),
        "{:?}",
        failures[0]
    );
    assert_eq!(failures[1].how, "no rhyme found");
    assert_eq!(reactor.failures(), 2);
    assert!(
        failures[1]
            .to_string()
            .starts_with("Unhandled error in timed call scheduled at")
    );
}

fn a_call_rescheduling_itself_with_no_delay_lets_the_loop_turn(backend: BackendKind) {
    let (reactor, _clock, log) = virtual_reactor(backend);
    let (ours, mut theirs) = pair();
    let reader = Rc::new(RefCell::new(LogReader {
        socket: ours,
        log: Rc::clone(&log),
        clock: VirtualClock::new(),
        panic_on_read: false,
    }));
    reactor.add_reader(reader).unwrap();
    theirs.write_all(b"x").unwrap();

    // A call that keeps rescheduling itself with no delay, until the reader
    // has had its turn (or 1,000 rounds, to fail rather than hang).
    fn again(reactor: Reactor, log: Rc<RefCell<Vec<String>>>, rounds: Rc<Cell<usize>>) {
        rounds.set(rounds.get() + 1);
        if log.borrow().is_empty() && rounds.get() < 1000 {
            let r = reactor.clone();
            reactor.call_later(Duration::ZERO, move || again(r, log, rounds));
        } else {
            reactor.stop().unwrap();
        }
    }
    let rounds = Rc::new(Cell::new(0));
    let (r, l, n) = (reactor.clone(), Rc::clone(&log), Rc::clone(&rounds));
    reactor.call_when_running(move || again(r, l, n));
    reactor.run().unwrap();
    assert_eq!(*log.borrow(), ["read \"x\" at 0"]);
    assert!(
        rounds.get() <= 3,
        "the reader waited {} rounds",
        rounds.get()
    );
}

fn advance_runs_due_timers_without_running_the_loop(backend: BackendKind) {
    let (reactor, clock, log) = virtual_reactor(backend);
    for n in 1..=3 {
        let l = Rc::clone(&log);
        reactor.call_later(secs(n), move || note(&l, format!("t{n}")));
    }
    reactor.advance(Duration::from_millis(1500)).unwrap();
    assert_eq!(*log.borrow(), ["t1"]);
    reactor.advance(secs(10)).unwrap();
    assert_eq!(*log.borrow(), ["t1", "t2", "t3"]);
    assert_eq!(clock.now(), Duration::from_millis(11_500));

    let real = Reactor::with(backend, Clock::real()).unwrap();
    assert!(matches!(
        real.advance(secs(1)),
        Err(ReactorError::NotVirtual)
    ));
}

fn a_real_clock_really_waits_for_timers(backend: BackendKind) {
    let reactor = Reactor::with(backend, Clock::real()).unwrap();
    let started = Instant::now();
    let r = reactor.clone();
    reactor.call_later(Duration::from_millis(30), move || r.stop().unwrap());
    reactor.run().unwrap();
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(30), "{took:?}");
}

/// A reader over one end of a socket pair: logs what it reads and how the
/// connection ended.
struct LogReader {
    socket: UnixStream,
    log: Rc<RefCell<Vec<String>>>,
    clock: VirtualClock,
    panic_on_read: bool,
}

impl FileDescriptor for LogReader {
    fn fileno(&self) -> RawFd {
        self.socket.as_raw_fd()
    }

    fn connection_lost(&mut self, _reactor: &Reactor, reason: Disconnect) {
        let how = match reason {
            Disconnect::Done => "done".to_string(),
            Disconnect::Lost(e) => format!("lost: {e}"),
        };
        note(&self.log, format!("connection_lost({how})"));
    }

    fn log_prefix(&self) -> String {
        "log reader".to_string()
    }
}

impl ReadDescriptor for LogReader {
    fn do_read(&mut self, _reactor: &Reactor) -> Result<(), Disconnect> {
        assert!(!self.panic_on_read, "a broken reader");
        let mut data = Vec::new();
        let mut buffer = [0; 64];
        loop {
            match self.socket.read(&mut buffer) {
                Ok(0) => {
                    note(
                        &self.log,
                        format!(
                            "read {:?} then EOF at {}",
                            String::from_utf8_lossy(&data),
                            self.clock.now().as_secs()
                        ),
                    );
                    return Err(Disconnect::Done);
                }
                Ok(n) => data.extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(Disconnect::Lost(e)),
            }
        }
        note(
            &self.log,
            format!(
                "read {:?} at {}",
                String::from_utf8_lossy(&data),
                self.clock.now().as_secs()
            ),
        );
        Ok(())
    }
}

fn pair() -> (UnixStream, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    (a, b)
}

fn a_reader_is_called_when_data_arrives_and_not_otherwise(backend: BackendKind) {
    let (reactor, clock, log) = virtual_reactor(backend);
    let (ours, theirs) = pair();
    let theirs = Rc::new(RefCell::new(Some(theirs)));
    let reader = Rc::new(RefCell::new(LogReader {
        socket: ours,
        log: Rc::clone(&log),
        clock: clock.clone(),
        panic_on_read: false,
    }));
    reactor.add_reader(reader).unwrap();
    assert_eq!(reactor.readers().len(), 1);

    // Nothing is written before t=2: the reader must not be called before.
    let t = Rc::clone(&theirs);
    reactor.call_later(secs(2), move || {
        t.borrow_mut()
            .as_mut()
            .unwrap()
            .write_all(b"hello")
            .unwrap()
    });
    let t = Rc::clone(&theirs);
    reactor.call_later(secs(4), move || {
        t.borrow_mut()
            .as_mut()
            .unwrap()
            .write_all(b"again")
            .unwrap()
    });
    let t = Rc::clone(&theirs);
    reactor.call_later(secs(6), move || drop(t.borrow_mut().take())); // hang up
    // After the hang-up nothing is watched and no timer is left: run returns.
    reactor.run().unwrap();

    assert_eq!(
        *log.borrow(),
        [
            "read \"hello\" at 2",
            "read \"again\" at 4",
            "read \"\" then EOF at 6",
            "connection_lost(done)"
        ]
    );
    assert!(
        reactor.readers().is_empty(),
        "a finished reader is no longer watched"
    );
}

fn a_removed_reader_is_not_called(backend: BackendKind) {
    let (reactor, clock, log) = virtual_reactor(backend);
    let (ours, mut theirs) = pair();
    let fd = ours.as_raw_fd();
    let reader = Rc::new(RefCell::new(LogReader {
        socket: ours,
        log: Rc::clone(&log),
        clock,
        panic_on_read: false,
    }));
    reactor.add_reader(reader).unwrap();
    theirs.write_all(b"ignored").unwrap();
    reactor.remove_reader(fd).unwrap();
    let r = reactor.clone();
    reactor.call_later(secs(1), move || r.stop().unwrap());
    reactor.run().unwrap();
    assert!(log.borrow().is_empty(), "{:?}", log.borrow());
}

fn a_panicking_reader_is_reported_and_dropped_and_the_loop_goes_on(backend: BackendKind) {
    let (reactor, clock, log) = virtual_reactor(backend);
    let failures = collect_failures(&reactor);
    let (ours, mut theirs) = pair();
    reactor
        .add_reader(Rc::new(RefCell::new(LogReader {
            socket: ours,
            log: Rc::clone(&log),
            clock,
            panic_on_read: true,
        })))
        .unwrap();
    theirs.write_all(b"boom").unwrap();
    let l = Rc::clone(&log);
    reactor.call_later(secs(1), move || note(&l, "timer still runs"));
    reactor.run().unwrap();

    let log = log.borrow();
    assert!(
        log[0].starts_with("connection_lost(lost: panicked at "),
        "{log:?}"
    );
    assert_eq!(log[1], "timer still runs");
    let failures = failures.borrow();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].what, "do_read of log reader");
    assert!(
        failures[0].how.ends_with("a broken reader"),
        "{:?}",
        failures[0]
    );
}

/// A writer that sends a message, then stops asking to write.
struct OnceWriter {
    socket: UnixStream,
    message: Vec<u8>,
    calls: Rc<Cell<usize>>,
}

impl FileDescriptor for OnceWriter {
    fn fileno(&self) -> RawFd {
        self.socket.as_raw_fd()
    }
}

impl WriteDescriptor for OnceWriter {
    fn do_write(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        self.calls.set(self.calls.get() + 1);
        self.socket
            .write_all(&self.message)
            .map_err(Disconnect::Lost)?;
        reactor
            .remove_writer(self.fileno())
            .map_err(Disconnect::Lost)?;
        Ok(())
    }
}

fn a_writer_is_called_when_writable_and_can_remove_itself(backend: BackendKind) {
    let (reactor, _clock, _log) = virtual_reactor(backend);
    let (ours, mut theirs) = pair();
    let calls = Rc::new(Cell::new(0));
    reactor
        .add_writer(Rc::new(RefCell::new(OnceWriter {
            socket: ours,
            message: b"a poem".to_vec(),
            calls: Rc::clone(&calls),
        })))
        .unwrap();
    let r = reactor.clone();
    reactor.call_later(secs(1), move || r.stop().unwrap());
    reactor.run().unwrap();
    assert_eq!(calls.get(), 1);
    assert!(reactor.writers().is_empty());
    let mut got = [0; 6];
    theirs.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"a poem");
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod epoll {
            $(#[test] fn $name() { super::$name(super::BackendKind::Mio) })*
        }
        mod poll {
            $(#[test] fn $name() { super::$name(super::BackendKind::Poll) })*
        }
    };
}

on_both_backends!(
    timers_fire_in_deadline_order_and_ties_in_scheduling_order,
    a_timer_scheduled_by_a_timer_runs_in_order,
    cancel_before_and_after_firing,
    a_callback_can_cancel_a_later_call_due_at_the_same_time,
    call_when_running_runs_first_and_in_order,
    stop_from_a_callback_returns_after_that_callback,
    stop_when_not_running_is_an_error,
    run_inside_run_is_an_error,
    a_failing_callback_is_reported_and_the_next_still_runs,
    advance_runs_due_timers_without_running_the_loop,
    a_call_rescheduling_itself_with_no_delay_lets_the_loop_turn,
    a_real_clock_really_waits_for_timers,
    a_reader_is_called_when_data_arrives_and_not_otherwise,
    a_removed_reader_is_not_called,
    a_panicking_reader_is_reported_and_dropped_and_the_loop_goes_on,
    a_writer_is_called_when_writable_and_can_remove_itself,
);
