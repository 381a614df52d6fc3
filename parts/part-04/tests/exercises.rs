//! The chapter's exercise solutions, checked: each example in `examples/`
//! is compiled into this test as a module, and its solution is run against
//! slow servers on free ports.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_02::{Address, FetchError, SlowServer};
use part_03::Reactor;
use part_04::{Printer, Stream};
use testkit::{closed_port, pacing, poem, targets};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part04-ex1-timeout.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part04-ex2-print-poems.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part04-ex3-rate.rs"]
mod ex3;

/// Lines kept by a printer.
type Lines = Rc<RefCell<Vec<String>>>;

/// A printer that keeps the lines for standard output and those for
/// standard error, apart.
fn collecting() -> (Printer, Lines, Lines) {
    let out = Rc::new(RefCell::new(Vec::new()));
    let err = Rc::new(RefCell::new(Vec::new()));
    let (o, e) = (Rc::clone(&out), Rc::clone(&err));
    let printer = Printer::new(move |stream, line| match stream {
        Stream::Out => o.borrow_mut().push(line.to_string()),
        Stream::Err => e.borrow_mut().push(line.to_string()),
    });
    (printer, out, err)
}

/// Exercise 1: the quick poem arrives, the slow one is cut off at the
/// deadline with what it had, the refused one is reported as such, and the
/// whole run ends at the deadline, not when the slow server would.
#[test]
fn ex1_gives_up_on_slow_servers_at_the_deadline() {
    let quick = SlowServer::spawn(poem("panther.txt"), pacing(100, 5)).unwrap();
    // Ten bytes now, then ten every five seconds.
    let slow = SlowServer::spawn(poem("tyger.txt"), pacing(10, 5000)).unwrap();
    let refused = Address::local(closed_port());
    let mut servers = targets([&quick, &slow]);
    servers.push((refused.clone(), refused.resolve().unwrap()));

    let reactor = Reactor::new().unwrap();
    let (printer, _, errors) = collecting();
    let timeout = Duration::from_millis(400);
    let start = Instant::now();
    let tasks = ex1::get_poetry_within(&reactor, &servers, timeout, &printer).unwrap();
    let took = start.elapsed();

    assert!(took >= timeout && took < timeout * 3, "took {took:?}");
    let first = tasks[0].as_ref().unwrap().borrow();
    assert!(first.is_finished());
    assert_eq!(first.poem(), poem("panther.txt"));
    let second = tasks[1].as_ref().unwrap().borrow();
    assert!(!second.is_finished() && !second.is_open());
    assert!(matches!(
        second.error(),
        Some(FetchError::Lost { received: 10, .. })
    ));
    assert!(matches!(tasks[2], Err(FetchError::Connect(_))));
    let errors = errors.borrow();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("Task 3: failed to get poetry from "));
    assert!(
        errors[1].starts_with("Task 2: failed to get poetry from ")
            && errors[1].ends_with(": connection lost after 10 bytes: timed out after 0.400s"),
        "{}",
        errors[1]
    );
    assert!(reactor.readers().is_empty());
}

/// Exercise 1, when everything arrives in time: nothing is cut off, and
/// the run ends with the last poem, long before the deadline.
#[test]
fn ex1_ends_with_the_last_poem_when_all_arrive_in_time() {
    let server = SlowServer::spawn(poem("science.txt"), pacing(200, 5)).unwrap();
    let reactor = Reactor::new().unwrap();
    let (printer, _, errors) = collecting();
    let start = Instant::now();
    let tasks = ex1::get_poetry_within(
        &reactor,
        &targets([&server]),
        Duration::from_secs(20),
        &printer,
    )
    .unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(tasks[0].as_ref().unwrap().borrow().is_finished());
    assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
}

/// Exercise 2: each poem is printed whole, right after its own `finished`
/// line, although the chunks cut multi-byte characters in two.
#[test]
fn ex2_prints_each_poem_whole_as_soon_as_it_ends() {
    let panther = SlowServer::spawn(poem("panther.txt"), pacing(7, 2)).unwrap();
    let science = SlowServer::spawn(poem("science.txt"), pacing(5, 3)).unwrap();
    let reactor = Reactor::new().unwrap();
    let (printer, out, errors) = collecting();
    let tasks = ex2::get_and_print(&reactor, &targets([&panther, &science]), &printer).unwrap();
    assert!(errors.borrow().is_empty());

    let out = out.borrow();
    for (task, name) in [(1, "panther.txt"), (2, "science.txt")] {
        let finished = out
            .iter()
            .position(|l| *l == format!("Task {task} finished"))
            .unwrap_or_else(|| panic!("task {task} never finished: {out:?}"));
        let printed = &out[finished + 1];
        let text = std::str::from_utf8(poem(name)).unwrap().trim_end();
        assert!(printed.starts_with(&format!("Task {task}: the poem from ")));
        assert!(printed.ends_with(text), "task {task}: {printed}");
        assert!(!printed.contains('\u{FFFD}'));
        assert!(tasks[task - 1].as_ref().unwrap().borrow().0.is_finished());
    }
    // It still stopped by itself: the wrapped sockets count as poetry.
    assert!(!reactor.is_running() && reactor.readers().is_empty());
}

/// Exercise 3: while poems arrive, each open socket gets a rate line per
/// interval, and the rates match the servers' pacing.
#[test]
fn ex3_reports_each_open_downloads_rate() {
    // 50 bytes every 20 ms: 2,500 bytes/s, for about 0.26 s (science.txt,
    // 661 bytes) and 0.58 s (the first 1,500 bytes of ecstasy.txt).
    let a = SlowServer::spawn(poem("science.txt"), pacing(50, 20)).unwrap();
    let b = SlowServer::spawn(&poem("ecstasy.txt")[..1500], pacing(50, 20)).unwrap();
    let reactor = Reactor::new().unwrap();
    let (printer, out, _) = collecting();
    let every = Duration::from_millis(100);
    let tasks = ex3::get_poetry_with_rates(&reactor, &targets([&a, &b]), every, &printer).unwrap();
    for task in &tasks {
        assert!(task.as_ref().unwrap().borrow().is_finished());
    }

    let rates = |task: usize| -> Vec<f64> {
        let prefix = format!("Task {task}: ");
        out.borrow()
            .iter()
            .filter_map(|l| l.strip_prefix(&prefix)?.strip_suffix(" bytes/s"))
            .map(|r| r.parse().expect("a rate"))
            .collect()
    };
    let (first, second) = (rates(1), rates(2));
    assert!(first.len() >= 2, "task 1 rates: {first:?}");
    assert!(second.len() > first.len(), "task 2 runs longer: {second:?}");
    // Reports while it is running are near 2,500 bytes/s (timers on a busy
    // machine may be late; some slack either way).
    let middle = second[1];
    assert!((1000.0..=4000.0).contains(&middle), "{second:?}");
    // Once a socket is closed, it gets no more lines.
    let last_chunk = out
        .borrow()
        .iter()
        .position(|l| l == "Task 1 finished")
        .unwrap();
    assert!(
        !out.borrow()[last_chunk..]
            .iter()
            .any(|l| l.starts_with("Task 1: ") && l.ends_with("bytes/s"))
    );
}
