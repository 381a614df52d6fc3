//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module and run against
//! servers on free ports.

use std::cell::RefCell;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener};
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

use part_02::FetchError;
use part_03::Reactor;
use part_06::{Countdown, Outcome, Stream, Task};
use testkit::servers;
use testkit::{closed, keeping_printer, on, run_within, tasks};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part06-ex1-timeout.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part06-ex2-retry.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part06-ex3-all.rs"]
mod ex3;

/// What each task's closures were called with, in order of the calls.
type Calls = Rc<RefCell<Vec<(usize, Outcome)>>>;

/// The two closures for task `number`: both record what they get and count
/// the task as over.
fn closures(
    calls: &Calls,
    countdown: &Countdown,
    number: usize,
) -> (
    impl FnOnce(Vec<u8>) + 'static,
    impl FnOnce(FetchError) + 'static,
) {
    let (seen, done) = (Rc::clone(calls), countdown.clone());
    let callback = move |poem| {
        seen.borrow_mut().push((number, Ok(poem)));
        done.one_done();
    };
    let (seen, done) = (Rc::clone(calls), countdown.clone());
    let errback = move |error| {
        seen.borrow_mut().push((number, Err(error)));
        done.one_done();
    };
    (callback, errback)
}

/// Runs a reactor on which `start` started downloads for `tasks`, and
/// returns each task's one outcome, in task order (failing the test if any
/// task got none, or more than one).
fn run_tasks(tasks: &[Task], start: impl Fn(&Reactor, &Task, Calls, &Countdown)) -> Vec<Outcome> {
    let reactor = Reactor::new().unwrap();
    let calls: Calls = Rc::default();
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in tasks {
        start(&reactor, task, Rc::clone(&calls), &countdown);
    }
    run_within(&reactor, Duration::from_secs(20));
    let mut calls = calls.take();
    calls.sort_by_key(|(number, _)| *number);
    let numbers: Vec<usize> = calls.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        numbers,
        (1..=tasks.len()).collect::<Vec<_>>(),
        "one call per task"
    );
    calls.into_iter().map(|(_, outcome)| outcome).collect()
}

/// Exercise 1: the slow server is given up on, on time, with what it had
/// sent; the quick one delivers; a refused port fails at once, as itself.
#[test]
fn ex1_gives_up_on_the_slow_server_only() {
    let quick = servers(1, 10_000, 1);
    let slow = servers(1, 20, 100); // 661 bytes: over 3 s
    let (printer, _lines) = keeping_printer();
    let tasks = tasks(&[quick[0].0.addr(), slow[0].0.addr(), closed()], &printer);
    let limit = Duration::from_millis(300);
    let start = Instant::now();
    let outcomes = run_tasks(&tasks, |reactor, task, calls, countdown| {
        let (callback, errback) = closures(&calls, countdown, task.number);
        ex1::get_poetry_timeout(reactor, task, limit, callback, errback);
    });
    let took = start.elapsed();
    assert_eq!(outcomes[0].as_deref().unwrap(), quick[0].1);
    match &outcomes[1] {
        Err(FetchError::Lost { received, source }) => {
            assert!(*received > 0 && *received < slow[0].1.len(), "{received}");
            assert_eq!(source.kind(), io::ErrorKind::TimedOut);
            assert_eq!(source.to_string(), "no poem after 0.300s");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&outcomes[2], Err(FetchError::Connect(e)) if e.kind() == io::ErrorKind::ConnectionRefused),
        "{:?}",
        outcomes[2]
    );
    assert!(took >= limit, "gave up early: {took:?}");
    assert!(took < Duration::from_secs(2), "gave up late: {took:?}");
}

/// Exercise 1: with time enough, every poem arrives whole, and no deadline
/// interferes afterwards.
#[test]
fn ex1_with_time_enough_gets_everything() {
    let servers = servers(2, 200, 5);
    let sockets: Vec<SocketAddr> = servers.iter().map(|(s, _)| s.addr()).collect();
    let (printer, _lines) = keeping_printer();
    let outcomes = run_tasks(
        &tasks(&sockets, &printer),
        |reactor, task, calls, countdown| {
            let (callback, errback) = closures(&calls, countdown, task.number);
            ex1::get_poetry_timeout(reactor, task, Duration::from_secs(10), callback, errback);
        },
    );
    for ((_, poem), outcome) in servers.iter().zip(&outcomes) {
        assert_eq!(outcome.as_deref().unwrap(), *poem);
    }
}

/// Exercise 2: a closed port is tried the given number of times, `wait`
/// apart, and only then reaches the errback, once.
#[test]
fn ex2_tries_a_closed_port_three_times_then_gives_up() {
    let (printer, lines) = keeping_printer();
    let refused = closed();
    let tasks = tasks(&[refused], &printer);
    let wait = Duration::from_millis(50);
    let start = Instant::now();
    let outcomes = run_tasks(&tasks, |reactor, task, calls, countdown| {
        let (callback, errback) = closures(&calls, countdown, task.number);
        ex2::get_poetry_retry(reactor, task, 3, wait, callback, errback);
    });
    assert!(start.elapsed() >= 2 * wait, "the tries came too soon");
    assert!(matches!(outcomes[0], Err(FetchError::Connect(_))));
    let retries = on(&lines, Stream::Err);
    let line = "Task 1: cannot connect: Connection refused (os error 111); trying again in 0.050s";
    assert_eq!(retries, [line, line]);
}

/// Exercise 2: a server that starts listening after the first try is
/// reached by a later one.
#[test]
fn ex2_reaches_a_server_that_starts_late() {
    let poem = b"Late, but here.\n";
    let addr = closed();
    let server = thread::spawn(move || {
        thread::sleep(Duration::from_millis(60));
        let listener = TcpListener::bind(addr).unwrap();
        let (mut socket, _) = listener.accept().unwrap();
        socket.write_all(poem).unwrap();
    });
    let (printer, lines) = keeping_printer();
    let outcomes = run_tasks(
        &tasks(&[addr], &printer),
        |reactor, task, calls, countdown| {
            let (callback, errback) = closures(&calls, countdown, task.number);
            ex2::get_poetry_retry(
                reactor,
                task,
                10,
                Duration::from_millis(40),
                callback,
                errback,
            );
        },
    );
    server.join().unwrap();
    assert_eq!(outcomes[0].as_deref().unwrap(), poem);
    let retries = lines
        .borrow()
        .iter()
        .filter(|(s, _)| *s == Stream::Err)
        .count();
    assert!(retries >= 1, "the first try should have been refused");
}

/// Exercise 3: one call, after every download is over, with every outcome
/// in task order.
#[test]
fn ex3_calls_back_once_with_everything_in_order() {
    let servers = servers(2, 100, 5);
    let sockets = [servers[0].0.addr(), closed(), servers[1].0.addr()];
    let (printer, _lines) = keeping_printer();
    let tasks = tasks(&sockets, &printer);
    let reactor = Reactor::new().unwrap();
    let calls: Rc<RefCell<Vec<Vec<Outcome>>>> = Rc::default();
    let (seen, handle) = (Rc::clone(&calls), reactor.clone());
    ex3::get_all_poetry(&reactor, &tasks, move |outcomes| {
        seen.borrow_mut().push(outcomes);
        let _ = handle.stop();
    });
    assert!(calls.borrow().is_empty(), "called before the reactor ran");
    reactor.run().unwrap();
    let calls = calls.take();
    assert_eq!(calls.len(), 1);
    let outcomes = &calls[0];
    assert_eq!(outcomes.len(), 3);
    assert_eq!(outcomes[0].as_deref().unwrap(), servers[0].1);
    assert!(matches!(outcomes[1], Err(FetchError::Connect(_))));
    assert_eq!(outcomes[2].as_deref().unwrap(), servers[1].1);
}

/// Exercise 3: no tasks is still one call, from the reactor.
#[test]
fn ex3_with_no_tasks_calls_back_from_the_reactor() {
    let reactor = Reactor::new().unwrap();
    let calls = Rc::new(RefCell::new(Vec::new()));
    let (seen, handle) = (Rc::clone(&calls), reactor.clone());
    ex3::get_all_poetry(&reactor, &[], move |outcomes: Vec<Outcome>| {
        seen.borrow_mut().push(outcomes.len());
        let _ = handle.stop();
    });
    assert!(calls.borrow().is_empty(), "called before the reactor ran");
    reactor.run().unwrap();
    assert_eq!(*calls.borrow(), [0]);
}
