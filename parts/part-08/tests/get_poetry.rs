//! Client 4.0's `get_poetry` on both reactor backends, against servers on
//! free ports: its deferred fires exactly once, with the poem or with a
//! failure (refused, broken), never before the reactor runs; cancelling it
//! closes the connection and the server sees the hang-up; a failure nobody
//! handles is reported. Then part 7's `add_timeout` over the network, and
//! the tokio version.

mod common;

use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::{
    breaking_server, chunk_total, closed, keeping_printer, run_within, silent_tasks, tasks,
    watching_server,
};
use part_02::FetchError;
use part_03::{BackendKind, Clock, Reactor};
use part_06::{Countdown, Task};
use part_07::{CancelledError, Deferred, Failure, TimedOut, on_unhandled};
use part_08::get_poetry;
use part_08::tokio_poetry::{self, DownloadError};
use testkit::servers;

/// How long a test's reactor may run before the test fails.
const LIMIT: Duration = Duration::from_secs(20);

fn reactor(backend: BackendKind) -> Reactor {
    Reactor::with(backend, Clock::real()).expect("a reactor")
}

/// Runs the reactor for `time`, then stops it.
fn run_for(reactor: &Reactor, time: Duration) {
    let handle = reactor.clone();
    reactor.call_later(time, move || handle.stop());
    reactor.run().expect("the reactor runs");
}

/// What one deferred delivered, to its callback and to its errback.
#[derive(Default)]
struct Seen {
    poems: Vec<Vec<u8>>,
    failures: Vec<Failure>,
}

type Shared = Rc<RefCell<Vec<Seen>>>;

/// Adds a recording callback and errback to `deferred`, and a step that
/// counts the task down after either.
fn record(deferred: Deferred<Vec<u8>>, seen: &Shared, i: usize, countdown: &Countdown) {
    let (poems, failures, done) = (Rc::clone(seen), Rc::clone(seen), countdown.clone());
    let _ = deferred
        .add_callbacks(
            move |poem: Vec<u8>| poems.borrow_mut()[i].poems.push(poem),
            move |failure: Failure| failures.borrow_mut()[i].failures.push(failure),
        )
        .add_both(move |_: Result<(), Failure>| done.one_done());
}

/// `get_poetry` for every task, until every deferred has fired; checks
/// that none fired before the reactor ran.
fn fetch(reactor: &Reactor, tasks: &[Task]) -> Vec<Seen> {
    let seen: Shared = Rc::new(RefCell::new(
        tasks.iter().map(|_| Seen::default()).collect(),
    ));
    let countdown = Countdown::new(reactor, tasks.len());
    for (i, task) in tasks.iter().enumerate() {
        let deferred = get_poetry(reactor, task);
        assert!(!deferred.is_called(), "fired before the reactor ran");
        record(deferred, &seen, i, &countdown);
    }
    run_within(reactor, LIMIT);
    // Give anything that might fire a second time the chance to.
    run_for(reactor, Duration::from_millis(50));
    seen.take()
}

#[test]
fn each_deferred_fires_once_with_its_poem_on_both_backends() {
    let servers = servers(2, 60, 5);
    let sockets: Vec<_> = servers.iter().map(|(s, _)| s.addr()).collect();
    for backend in BackendKind::ALL {
        let reactor = reactor(backend);
        let (printer, lines) = keeping_printer();
        let seen = fetch(&reactor, &tasks(&sockets, &printer));
        for (i, ((_, poem), seen)) in servers.iter().zip(&seen).enumerate() {
            assert_eq!(seen.poems, [poem.to_vec()], "{backend:?}: task {}", i + 1);
            assert!(seen.failures.is_empty(), "{backend:?}");
            // The chunk lines came through the task, and add up.
            assert_eq!(chunk_total(&lines, i + 1), poem.len(), "{backend:?}");
        }
    }
}

#[test]
fn a_refused_port_fires_the_errback_once_with_a_fetch_error() {
    let (good, _) = &servers(1, 200, 5)[0];
    let sockets = [closed(), good.addr()];
    for backend in BackendKind::ALL {
        let seen = fetch(&reactor(backend), &silent_tasks(&sockets));
        assert!(seen[0].poems.is_empty(), "{backend:?}");
        let [failure] = &seen[0].failures[..] else {
            panic!("{backend:?}: {} failures", seen[0].failures.len());
        };
        assert!(failure.check::<FetchError>(), "{failure}");
        assert!(
            matches!(
                failure.downcast_ref::<FetchError>(),
                Some(FetchError::Connect(e)) if e.kind() == io::ErrorKind::ConnectionRefused
            ),
            "{failure}"
        );
        // The failure remembers where it was made: in get_poetry's factory.
        assert!(
            failure.location().file().ends_with("poetry.rs"),
            "{failure}"
        );
        // The other task is not disturbed.
        assert_eq!(seen[1].poems.len(), 1, "{backend:?}");
    }
}

#[test]
fn a_broken_connection_is_a_failure_not_a_poem() {
    for backend in BackendKind::ALL {
        let (addr, server) = breaking_server(25);
        let seen = fetch(&reactor(backend), &silent_tasks(&[addr]));
        server.join().unwrap();
        assert!(seen[0].poems.is_empty(), "{backend:?}");
        let [failure] = &seen[0].failures[..] else {
            panic!("{backend:?}: {} failures", seen[0].failures.len());
        };
        assert!(
            matches!(
                failure.downcast_ref::<FetchError>(),
                Some(FetchError::Lost { received: 25, source })
                    if source.kind() == io::ErrorKind::ConnectionReset
            ),
            "{backend:?}: {failure}"
        );
    }
}

#[test]
fn cancelling_closes_the_connection_and_the_server_sees_it() {
    for backend in BackendKind::ALL {
        let (addr, hung_up) = watching_server(30);
        let reactor = reactor(backend);
        let seen: Shared = Rc::new(RefCell::new(vec![Seen::default()]));
        let countdown = Countdown::new(&reactor, 1);
        let deferred = get_poetry(&reactor, &silent_tasks(&[addr])[0]);
        let cancel = deferred.cancel_handle();
        record(deferred, &seen, 0, &countdown);
        // The server never closes: only cancelling can end this download.
        reactor.call_later(Duration::from_millis(100), move || cancel.cancel());
        run_within(&reactor, LIMIT);
        // One more moment for the transport to close the socket.
        run_for(&reactor, Duration::from_millis(100));
        let read = hung_up
            .recv_timeout(Duration::from_secs(5))
            .expect("the server sees the client hang up");
        assert_eq!(read, 0, "the client sent nothing");
        let seen = seen.take();
        assert!(seen[0].poems.is_empty(), "{backend:?}");
        assert_eq!(seen[0].failures.len(), 1, "{backend:?}: fired once");
        assert!(seen[0].failures[0].check::<CancelledError>(), "{backend:?}");
    }
}

#[test]
fn cancelling_before_the_reactor_runs_gives_up_connecting() {
    let (server, _) = &servers(1, 200, 5)[0];
    for backend in BackendKind::ALL {
        let reactor = reactor(backend);
        let seen: Shared = Rc::new(RefCell::new(vec![Seen::default()]));
        let countdown = Countdown::new(&reactor, 1);
        let deferred = get_poetry(&reactor, &silent_tasks(&[server.addr()])[0]);
        let cancel = deferred.cancel_handle();
        record(deferred, &seen, 0, &countdown);
        cancel.cancel();
        // Fired at once, with the cancellation, and never again.
        assert_eq!(seen.borrow()[0].failures.len(), 1);
        run_for(&reactor, Duration::from_millis(200));
        let seen = seen.take();
        assert!(seen[0].poems.is_empty(), "{backend:?}");
        assert_eq!(seen[0].failures.len(), 1, "{backend:?}");
        assert!(seen[0].failures[0].check::<CancelledError>());
    }
}

#[test]
fn cancelling_after_the_poem_arrived_changes_nothing() {
    let (server, poem) = &servers(1, 300, 5)[0];
    let reactor = reactor(BackendKind::Mio);
    let seen: Shared = Rc::new(RefCell::new(vec![Seen::default()]));
    let countdown = Countdown::new(&reactor, 1);
    let deferred = get_poetry(&reactor, &silent_tasks(&[server.addr()])[0]);
    let cancel = deferred.cancel_handle();
    record(deferred, &seen, 0, &countdown);
    run_within(&reactor, LIMIT);
    cancel.cancel();
    let seen = seen.take();
    assert_eq!(seen[0].poems, [poem.to_vec()]);
    assert!(seen[0].failures.is_empty());
}

#[test]
fn a_failure_nobody_handles_is_reported() {
    let reported = Rc::new(RefCell::new(Vec::new()));
    let kept = Rc::clone(&reported);
    let _guard = on_unhandled(move |failure| kept.borrow_mut().push(failure.to_string()));
    let reactor = reactor(BackendKind::Mio);
    let countdown = Countdown::new(&reactor, 1);
    let done = countdown.clone();
    // A callback, and no errback: the failure passes it by, to the end.
    let _ = get_poetry(&reactor, &silent_tasks(&[closed()])[0])
        .add_callback(|_poem: Vec<u8>| ())
        .add_errback(move |failure: Failure| {
            done.one_done();
            Err::<(), Failure>(failure)
        });
    run_within(&reactor, LIMIT);
    let reported = reported.take();
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert!(reported[0].contains("Connection refused"), "{reported:?}");
}

#[test]
fn add_timeout_abandons_a_slow_download_and_hangs_up() {
    let (addr, hung_up) = watching_server(20);
    let reactor = reactor(BackendKind::Poll);
    let seen: Shared = Rc::new(RefCell::new(vec![Seen::default()]));
    let countdown = Countdown::new(&reactor, 1);
    let limit = Duration::from_millis(200);
    let start = Instant::now();
    let deferred = get_poetry(&reactor, &silent_tasks(&[addr])[0]);
    record(deferred.add_timeout(&reactor, limit), &seen, 0, &countdown);
    run_within(&reactor, LIMIT);
    let took = start.elapsed();
    run_for(&reactor, Duration::from_millis(100));
    assert!(took >= limit && took < Duration::from_secs(3), "{took:?}");
    hung_up
        .recv_timeout(Duration::from_secs(5))
        .expect("the server sees the client hang up");
    let seen = seen.take();
    assert!(seen[0].poems.is_empty());
    assert_eq!(seen[0].failures.len(), 1);
    assert_eq!(
        seen[0].failures[0].downcast_ref::<TimedOut>(),
        Some(&TimedOut(limit))
    );
}

#[test]
fn the_tokio_get_poetry_returns_the_poem_or_the_error() {
    let (server, poem) = &servers(1, 100, 5)[0];
    let (addr, refused) = (server.addr(), closed());
    let (got, chunks, failed) = tokio_poetry::block_on(async move {
        let mut chunks = 0;
        let got = tokio_poetry::get_poetry(addr, Default::default(), |bytes| chunks += bytes).await;
        let failed = tokio_poetry::get_poetry(refused, Default::default(), |_| {}).await;
        (got, chunks, failed)
    })
    .unwrap();
    assert_eq!(got.unwrap(), poem.to_vec());
    assert_eq!(chunks, poem.len());
    assert!(
        matches!(failed, Err(FetchError::Connect(e)) if e.kind() == io::ErrorKind::ConnectionRefused)
    );
}

#[test]
fn the_tokio_time_limit_gives_up_and_hangs_up() {
    let (addr, hung_up) = watching_server(20);
    let (server, poem) = &servers(1, 1000, 5)[0];
    let quick = server.addr();
    let limit = Duration::from_millis(200);
    let (late, in_time) = tokio_poetry::block_on(async move {
        let late = tokio_poetry::get_poetry_within(addr, Default::default(), limit, |_| {}).await;
        let in_time =
            tokio_poetry::get_poetry_within(quick, Default::default(), limit * 10, |_| {}).await;
        (late, in_time)
    })
    .unwrap();
    assert!(matches!(late, Err(DownloadError::TimedOut(TimedOut(l))) if l == limit));
    assert_eq!(in_time.unwrap(), poem.to_vec());
    hung_up
        .recv_timeout(Duration::from_secs(5))
        .expect("dropping the future closed the socket");
}

#[test]
fn the_tokio_tasks_give_the_poems_in_task_order() {
    let servers = servers(2, 80, 5);
    let sockets = [servers[0].0.addr(), closed(), servers[1].0.addr()];
    let (printer, lines) = keeping_printer();
    let tasks = tasks(&sockets, &printer);
    let poems = tokio_poetry::block_on(tokio_poetry::get_poems(&tasks, None)).unwrap();
    assert_eq!(poems[0].as_deref(), Some(servers[0].1));
    assert_eq!(poems[1], None);
    assert_eq!(poems[2].as_deref(), Some(servers[1].1));
    let lines = lines.borrow();
    let ends: Vec<&str> = lines
        .iter()
        .map(|(_, line)| line.as_str())
        .filter(|line| !line.contains(": got "))
        .collect();
    assert_eq!(ends.len(), 3, "{ends:?}");
    assert!(ends.contains(&"Task 1 finished") && ends.contains(&"Task 3 finished"));
    assert!(
        ends.iter()
            .any(|l| l.starts_with("Task 2: failed to get poetry from "))
    );
}
