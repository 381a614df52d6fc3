//! `PoetrySocket` and `get_poetry` on our reactor, with real sockets: both
//! backends, the stop after the last poetry socket (and not before), a
//! lost connection, and what a blocking socket does to a timer.

use std::cell::RefCell;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::time::Duration;

use part_02::cli::Timeouts;
use part_02::{Address, FetchError, SlowServer};
use part_03::{BackendKind, Clock, Disconnect, FileDescriptor, Reactor, ReadDescriptor};
use part_04::{LOG_PREFIX, Printer, SocketMode, Stream, get_poetry};
use testkit::{closed_port, pacing, poem, servers, targets};

/// A printer that keeps every line, tagged `out:` or `err:`.
fn collecting() -> (Printer, Rc<RefCell<Vec<String>>>) {
    let lines = Rc::new(RefCell::new(Vec::new()));
    let keep = Rc::clone(&lines);
    let printer = Printer::new(move |stream, line| {
        let tag = match stream {
            Stream::Out => "out",
            Stream::Err => "err",
        };
        keep.borrow_mut().push(format!("{tag}: {line}"));
    });
    (printer, lines)
}

#[test]
fn client_1_works_on_both_backends() {
    for backend in BackendKind::ALL {
        let servers = servers(3, 50, 5);
        let reactor = Reactor::with(backend, Clock::real()).unwrap();
        let (printer, lines) = collecting();
        let targets = targets(servers.iter().map(|(s, _)| s));
        let tasks = get_poetry(
            &reactor,
            &targets,
            SocketMode::NonBlocking,
            &Timeouts::default(),
            &printer,
        )
        .unwrap();

        assert!(!reactor.is_running());
        assert!(reactor.readers().is_empty(), "{backend:?}: readers left");
        for (task, (_, poem)) in tasks.iter().zip(&servers) {
            let socket = task.as_ref().unwrap().borrow();
            assert!(socket.is_finished() && !socket.is_open(), "{backend:?}");
            assert_eq!(socket.poem(), *poem, "{backend:?}");
            assert_eq!(socket.fileno(), -1, "a closed socket has no descriptor");
            assert!(socket.ended().is_some());
            assert!(socket.reads().len() > 1, "{backend:?}: several reads");
        }
        let lines = lines.borrow();
        assert!(
            lines.iter().all(|l| l.starts_with("out: Task ")),
            "{lines:?}"
        );
        assert_eq!(lines.iter().filter(|l| l.ends_with(" finished")).count(), 3);
    }
}

#[test]
fn a_refused_task_is_reported_and_the_rest_still_run() {
    let server = SlowServer::spawn(poem("tyger.txt"), pacing(200, 1)).unwrap();
    let refused = Address::local(closed_port());
    let targets = vec![
        (refused.clone(), refused.resolve().unwrap()),
        (Address::from(server.addr()), server.addr()),
    ];
    let reactor = Reactor::new().unwrap();
    let (printer, lines) = collecting();
    let tasks = get_poetry(
        &reactor,
        &targets,
        SocketMode::NonBlocking,
        &Timeouts::default(),
        &printer,
    )
    .unwrap();
    assert!(matches!(tasks[0], Err(FetchError::Connect(_))));
    assert_eq!(
        tasks[1].as_ref().unwrap().borrow().poem(),
        poem("tyger.txt")
    );
    let first = lines.borrow()[0].clone();
    assert!(
        first.starts_with(&format!(
            "err: Task 1: failed to get poetry from {refused}: cannot connect: "
        )),
        "{first}"
    );
}

#[test]
fn with_no_server_reachable_the_reactor_is_not_run() {
    let refused = Address::local(closed_port());
    let targets = vec![(refused.clone(), refused.resolve().unwrap())];
    let reactor = Reactor::new().unwrap();
    // A timer that would stop it: if `run` were called, we would see it ran.
    let ran = Rc::new(RefCell::new(false));
    let (flag, handle) = (Rc::clone(&ran), reactor.clone());
    let call = reactor.call_later(Duration::ZERO, move || {
        *flag.borrow_mut() = true;
        handle.stop()
    });
    let (printer, _) = collecting();
    let tasks = get_poetry(
        &reactor,
        &targets,
        SocketMode::NonBlocking,
        &Timeouts::default(),
        &printer,
    )
    .unwrap();
    assert!(tasks[0].is_err());
    assert!(!*ran.borrow(), "the reactor ran");
    call.cancel().unwrap();
}

/// A reader that is not a poetry socket: one end of a socket pair that
/// nobody writes to.
struct Idle(UnixStream);

impl FileDescriptor for Idle {
    fn fileno(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl ReadDescriptor for Idle {
    fn do_read(&mut self, _: &Reactor) -> Result<(), Disconnect> {
        Ok(())
    }
}

#[test]
fn the_last_poetry_socket_stops_the_reactor_whatever_else_it_watches() {
    let servers = servers(3, 100, 5);
    let reactor = Reactor::new().unwrap();
    let (idle, _other_end) = UnixStream::pair().unwrap();
    reactor
        .add_reader(Rc::new(RefCell::new(Idle(idle))))
        .unwrap();
    assert_ne!(reactor.readers()[0].borrow().log_prefix(), LOG_PREFIX);

    let (printer, _) = collecting();
    let targets = targets(servers.iter().map(|(s, _)| s));
    let tasks = get_poetry(
        &reactor,
        &targets,
        SocketMode::NonBlocking,
        &Timeouts::default(),
        &printer,
    )
    .unwrap();
    // It stopped (we are here), every poem is complete, and the idle reader
    // is still watched: it just is not poetry.
    for task in &tasks {
        assert!(task.as_ref().unwrap().borrow().is_finished());
    }
    assert_eq!(reactor.readers().len(), 1);
}

#[test]
fn a_poetry_socket_does_not_stop_the_reactor_while_another_is_reading() {
    let servers = servers(3, 1000, 1);
    let reactor = Reactor::new().unwrap();
    let (printer, lines) = collecting();
    let targets = targets(servers.iter().map(|(s, _)| s));
    let tasks = part_04::connect_all(
        &reactor,
        &targets,
        SocketMode::NonBlocking,
        &Timeouts::default(),
        &printer,
    )
    .unwrap();
    let first = tasks[0].as_ref().unwrap();

    // Play the reactor's part: the first connection breaks while the other
    // two are still watched. It reports, records and closes.
    let fd = first.borrow().fileno();
    reactor.remove_reader(fd).unwrap();
    let broken = io::Error::new(io::ErrorKind::ConnectionReset, "reset by peer");
    first
        .borrow_mut()
        .connection_lost(&reactor, Disconnect::Lost(broken));
    assert!(!first.borrow().is_open());
    assert!(matches!(
        first.borrow().error(),
        Some(FetchError::Lost { received: 0, .. })
    ));
    let line = lines.borrow()[0].clone();
    assert!(
        line.starts_with("err: Task 1: failed to get poetry from ")
            && line.ends_with(": connection lost after 0 bytes: reset by peer"),
        "{line}"
    );

    // The other two run to completion, and the last of them stops the run.
    reactor.run().unwrap();
    for task in &tasks[1..] {
        assert!(task.as_ref().unwrap().borrow().is_finished());
    }
}

/// Runs client 1.0's code in `mode` beside a timer due every 10 ms, and
/// returns the longest time the timer went without running.
fn longest_silence(mode: SocketMode) -> Duration {
    // Task 1: 661 bytes, 20 bytes every 10 ms: about 0.33 s.
    let server = SlowServer::spawn(poem("science.txt"), pacing(20, 10)).unwrap();
    let reactor = Reactor::new().unwrap();
    let beats = Rc::new(RefCell::new(vec![Duration::ZERO]));
    fn beat(reactor: &Reactor, beats: &Rc<RefCell<Vec<Duration>>>) {
        let (handle, beats) = (reactor.clone(), Rc::clone(beats));
        reactor.call_later(Duration::from_millis(10), move || {
            beats.borrow_mut().push(handle.now());
            beat(&handle, &beats);
        });
    }
    beat(&reactor, &beats);
    let (printer, _) = collecting();
    let targets = targets([&server]);
    let tasks = get_poetry(&reactor, &targets, mode, &Timeouts::default(), &printer).unwrap();
    assert_eq!(
        tasks[0].as_ref().unwrap().borrow().poem(),
        poem("science.txt")
    );
    let mut beats = beats.borrow().clone();
    beats.push(reactor.now());
    beats.windows(2).map(|w| w[1] - w[0]).max().unwrap()
}

#[test]
fn a_blocking_read_silences_every_timer_until_the_poem_ends() {
    let good = longest_silence(SocketMode::NonBlocking);
    let broken = longest_silence(SocketMode::Blocking);
    // Client 1.0: the timer runs between chunks. Broken: not for the whole
    // poem (about 0.33 s), since do_read never returned.
    assert!(good < Duration::from_millis(150), "client 1.0: {good:?}");
    assert!(
        broken > Duration::from_millis(250),
        "broken client: {broken:?}"
    );
}
