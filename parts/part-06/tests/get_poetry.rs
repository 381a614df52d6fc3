//! `get_poetry`, both versions, on both reactor backends, against servers on
//! free ports: client 3.1 calls exactly one of its callback and errback,
//! exactly once (a poem, a refused port, a connection broken halfway), and
//! drops the other; client 3.0 calls its callback once with a poem, and on
//! a failure prints it and drops the callback uncalled. Neither calls
//! anything before the reactor runs. Then the protocol by hand, and the
//! `async fn` version on tokio.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use part_02::FetchError;
use part_03::{BackendKind, Clock, Disconnect, Reactor};
use part_05::Protocol;
use part_06::{Countdown, PoetryProtocol, Stream, Task, callback, errback, tokio_poetry};
use testkit::servers;
use testkit::{Lines, breaking_server, closed, keeping_printer, on, run_within, tasks};

/// How long a test's reactor may run before the test fails.
const LIMIT: Duration = Duration::from_secs(20);

/// Sets its flag when dropped: tells whether a closure that owned it was
/// dropped (called or not).
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// What happened to one task's closures.
#[derive(Default)]
struct Calls {
    poems: Vec<Vec<u8>>,
    errors: Vec<FetchError>,
    callback_dropped: Rc<Cell<bool>>,
    errback_dropped: Rc<Cell<bool>>,
}

type Shared = Rc<RefCell<Vec<Calls>>>;

fn reactor(backend: BackendKind) -> Reactor {
    Reactor::with(backend, Clock::real()).expect("a reactor")
}

/// Client 3.1's `get_poetry` for every task; returns what each task's
/// closures saw, once the reactor has stopped.
fn fetch_3_1(reactor: &Reactor, tasks: &[Task]) -> Vec<Calls> {
    let calls: Shared = Rc::new(RefCell::new(
        tasks.iter().map(|_| Calls::default()).collect(),
    ));
    let countdown = Countdown::new(reactor, tasks.len());
    for (i, task) in tasks.iter().enumerate() {
        let (seen, done) = (Rc::clone(&calls), countdown.clone());
        let flag = DropFlag(Rc::clone(&calls.borrow()[i].callback_dropped));
        let callback = move |poem| {
            let _flag = flag;
            seen.borrow_mut()[i].poems.push(poem);
            done.one_done();
        };
        let (seen, done) = (Rc::clone(&calls), countdown.clone());
        let flag = DropFlag(Rc::clone(&calls.borrow()[i].errback_dropped));
        let errback = move |error| {
            let _flag = flag;
            seen.borrow_mut()[i].errors.push(error);
            done.one_done();
        };
        errback::get_poetry(reactor, task, callback, errback);
    }
    // Nothing happens until the reactor runs.
    assert!(
        calls
            .borrow()
            .iter()
            .all(|c| c.poems.is_empty() && c.errors.is_empty())
    );
    run_within(reactor, LIMIT);
    calls.take()
}

/// Client 3.0's `get_poetry` for every task; returns what each callback
/// saw. A callback dropped uncalled counts its task as over (its ticket).
fn fetch_3_0(reactor: &Reactor, tasks: &[Task]) -> Vec<Calls> {
    let calls: Shared = Rc::new(RefCell::new(
        tasks.iter().map(|_| Calls::default()).collect(),
    ));
    let countdown = Countdown::new(reactor, tasks.len());
    for (i, task) in tasks.iter().enumerate() {
        let (seen, ticket) = (Rc::clone(&calls), countdown.ticket());
        let flag = DropFlag(Rc::clone(&calls.borrow()[i].callback_dropped));
        let callback = move |poem| {
            let _flag = flag;
            seen.borrow_mut()[i].poems.push(poem);
            drop(ticket);
        };
        callback::get_poetry(reactor, task, callback);
    }
    assert!(calls.borrow().iter().all(|c| c.poems.is_empty()));
    assert!(calls.borrow().iter().all(|c| !c.callback_dropped.get()));
    run_within(reactor, LIMIT);
    calls.take()
}

/// The bytes the chunk lines of task `number` add up to.
fn chunk_bytes(lines: &Lines, number: usize) -> usize {
    let prefix = format!("Task {number}: got ");
    lines
        .borrow()
        .iter()
        .filter_map(|(stream, line)| {
            assert_eq!(*stream, Stream::Out, "{line}");
            line.strip_prefix(&prefix)
        })
        .map(|rest| rest.split(' ').next().unwrap().parse::<usize>().unwrap())
        .sum()
}

#[test]
fn client_3_1_calls_the_callback_once_with_each_poem_on_both_backends() {
    let servers = servers(3, 64, 5);
    let sockets: Vec<SocketAddr> = servers.iter().map(|(s, _)| s.addr()).collect();
    for backend in BackendKind::ALL {
        let (printer, lines) = keeping_printer();
        let calls = fetch_3_1(&reactor(backend), &tasks(&sockets, &printer));
        for (i, ((_, poem), calls)) in servers.iter().zip(&calls).enumerate() {
            assert_eq!(calls.poems, [poem.to_vec()], "{backend:?}, task {}", i + 1);
            assert!(calls.errors.is_empty(), "{backend:?}: {:?}", calls.errors);
            // The errback was never called, and it is gone.
            assert!(calls.callback_dropped.get() && calls.errback_dropped.get());
            assert_eq!(chunk_bytes(&lines, i + 1), poem.len(), "{backend:?}");
        }
    }
}

#[test]
fn client_3_1_calls_the_errback_once_for_a_refused_port_on_both_backends() {
    let servers = servers(1, 1000, 1);
    let sockets = [closed(), servers[0].0.addr()];
    for backend in BackendKind::ALL {
        let (printer, lines) = keeping_printer();
        let calls = fetch_3_1(&reactor(backend), &tasks(&sockets, &printer));
        assert!(calls[0].poems.is_empty(), "{backend:?}");
        assert_eq!(calls[0].errors.len(), 1, "{backend:?}");
        let FetchError::Connect(error) = &calls[0].errors[0] else {
            panic!("{backend:?}: {:?}", calls[0].errors[0]);
        };
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
        assert!(calls[0].callback_dropped.get() && calls[0].errback_dropped.get());
        // The other task is not disturbed; and get_poetry printed no failure:
        // that is the errback's business now.
        assert_eq!(calls[1].poems, [servers[0].1.to_vec()], "{backend:?}");
        assert!(
            lines
                .borrow()
                .iter()
                .all(|(stream, _)| *stream == Stream::Out)
        );
    }
}

#[test]
fn client_3_1_calls_the_errback_once_when_the_connection_breaks() {
    for backend in BackendKind::ALL {
        let (addr, server) = breaking_server(50);
        let (printer, _lines) = keeping_printer();
        let calls = fetch_3_1(&reactor(backend), &tasks(&[addr], &printer));
        server.join().unwrap();
        assert!(
            calls[0].poems.is_empty(),
            "{backend:?}: a broken poem is no poem"
        );
        assert_eq!(calls[0].errors.len(), 1, "{backend:?}");
        let FetchError::Lost { received, source } = &calls[0].errors[0] else {
            panic!("{backend:?}: {:?}", calls[0].errors[0]);
        };
        assert!(*received <= 50, "{received}");
        assert_eq!(source.kind(), io::ErrorKind::ConnectionReset, "{backend:?}");
    }
}

#[test]
fn client_3_0_calls_the_callback_once_with_each_poem_on_both_backends() {
    let servers = servers(2, 64, 5);
    let sockets: Vec<SocketAddr> = servers.iter().map(|(s, _)| s.addr()).collect();
    for backend in BackendKind::ALL {
        let (printer, lines) = keeping_printer();
        let calls = fetch_3_0(&reactor(backend), &tasks(&sockets, &printer));
        for (i, ((_, poem), calls)) in servers.iter().zip(&calls).enumerate() {
            assert_eq!(calls.poems, [poem.to_vec()], "{backend:?}");
            assert_eq!(chunk_bytes(&lines, i + 1), poem.len(), "{backend:?}");
        }
    }
}

#[test]
fn client_3_0_prints_a_failure_itself_and_drops_the_callback_uncalled() {
    for backend in BackendKind::ALL {
        let (broken, server) = breaking_server(30);
        let refused = closed();
        let (printer, lines) = keeping_printer();
        let calls = fetch_3_0(&reactor(backend), &tasks(&[refused, broken], &printer));
        server.join().unwrap();
        for calls in &calls {
            assert!(calls.poems.is_empty(), "{backend:?}");
            assert!(calls.callback_dropped.get(), "{backend:?}: callback kept");
        }
        // The only trace of the reasons: the lines get_poetry printed.
        let failures = on(&lines, Stream::Err);
        assert_eq!(failures.len(), 2, "{backend:?}: {failures:?}");
        assert!(failures.contains(&format!(
            "Task 1: failed to get poetry from {refused}: cannot connect: \
             Connection refused (os error 111)"
        )));
        let lost = failures.iter().find(|l| l.starts_with("Task 2:")).unwrap();
        assert!(
            lost.starts_with(&format!(
                "Task 2: failed to get poetry from {broken}: connection lost after"
            )) && lost.ends_with("Connection reset by peer (os error 104)"),
            "{lost}"
        );
    }
}

#[test]
fn a_task_with_one_server_twice_gets_the_poem_twice() {
    // Each call has its own factory: nothing to match addresses to tasks.
    let servers = servers(1, 300, 2);
    let addr = servers[0].0.addr();
    let (printer, _lines) = keeping_printer();
    let calls = fetch_3_1(&Reactor::new().unwrap(), &tasks(&[addr, addr], &printer));
    assert_eq!(calls[0].poems, [servers[0].1.to_vec()]);
    assert_eq!(calls[1].poems, [servers[0].1.to_vec()]);
}

#[test]
fn the_protocol_hands_over_its_outcome_once() {
    let (printer, lines) = keeping_printer();
    let task = tasks(&[closed()], &printer).remove(0);
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&outcomes);
    let mut protocol =
        PoetryProtocol::new(task.clone(), move |outcome| seen.borrow_mut().push(outcome));
    protocol.data_received(b"Tyger ");
    protocol.data_received(b"Tyger");
    protocol.connection_lost(Disconnect::Done);
    protocol.connection_lost(Disconnect::Done); // a second end is ignored
    assert_eq!(outcomes.borrow().len(), 1);
    assert_eq!(outcomes.borrow()[0].as_deref().unwrap(), b"Tyger Tyger");
    assert_eq!(lines.borrow().len(), 2);
    assert_eq!(
        lines.borrow()[1].1,
        format!("Task 1: got 5 bytes of poetry from {}", task.address)
    );

    let seen = Rc::clone(&outcomes);
    let mut protocol = PoetryProtocol::new(task, move |outcome| seen.borrow_mut().push(outcome));
    protocol.data_received(b"burning");
    let reset = io::Error::new(io::ErrorKind::ConnectionReset, "reset");
    protocol.connection_lost(Disconnect::Lost(reset));
    assert!(matches!(
        outcomes.borrow()[1],
        Err(FetchError::Lost { received: 7, .. })
    ));
}

#[test]
fn the_async_fn_returns_poems_and_errors_and_question_mark_passes_them_up() {
    let servers = servers(2, 200, 2);
    let good: Vec<SocketAddr> = servers.iter().map(|(s, _)| s.addr()).collect();
    let refused = closed();
    let outcomes =
        tokio_poetry::block_on(tokio_poetry::get_poems(&[good[0], refused, good[1]])).unwrap();
    assert_eq!(outcomes[0].as_deref().unwrap(), servers[0].1);
    assert!(
        matches!(&outcomes[1], Err(FetchError::Connect(e)) if e.kind() == io::ErrorKind::ConnectionRefused)
    );
    assert_eq!(outcomes[2].as_deref().unwrap(), servers[1].1);

    let both = tokio_poetry::block_on(tokio_poetry::two_poems(good[0], good[1])).unwrap();
    let (one, two) = both.unwrap();
    assert_eq!(
        (one.as_slice(), two.as_slice()),
        (servers[0].1, servers[1].1)
    );
    // The first failure ends `two_poems`: the second download never
    // starts. (Its server would accept and then say nothing, so trying it
    // would run into the time limit.)
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    silent.set_nonblocking(true).unwrap();
    let second = silent.local_addr().unwrap();
    let failed = tokio_poetry::block_on(async {
        tokio::time::timeout(
            Duration::from_secs(5),
            tokio_poetry::two_poems(refused, second),
        )
        .await
    })
    .unwrap()
    .expect("two_poems ended at the first failure");
    assert!(matches!(failed, Err(FetchError::Connect(_))));
    let not_tried = silent.accept().unwrap_err();
    assert_eq!(not_tried.kind(), io::ErrorKind::WouldBlock);
}
