//! The solutions to chapter 7's exercises, checked. Each example in
//! `examples/part07-ex*.rs` is compiled into this test as a module and its
//! solution called directly, on a virtual clock wherever time matters; then
//! each example is run as a reader would run it.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Failure, deferred, on_unhandled};
use testkit::run_example_ok;

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part07-ex1-delay.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part07-ex2-timeout.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part07-ex3-track-caller.rs"]
mod ex3;

#[allow(dead_code)]
#[path = "../examples/part07-ex4-wait.rs"]
mod ex4;

fn virtual_reactor() -> Reactor {
    Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What the chains under test saw: `(milliseconds, what)`.
type Seen = Rc<RefCell<Vec<(u128, String)>>>;

/// Notes `what` at the reactor's time.
fn note(seen: &Seen, reactor: &Reactor, what: impl Into<String>) {
    seen.borrow_mut()
        .push((reactor.now().as_millis(), what.into()));
}

/// Collects the unhandled failures reported on this thread while alive.
fn watch_unhandled() -> (Rc<RefCell<Vec<String>>>, part_07::UnhandledGuard) {
    let reports: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = Rc::clone(&reports);
    let guard = on_unhandled(move |failure| sink.borrow_mut().push(failure.to_string()));
    (reports, guard)
}

/// Exercise 1: each value arrives after its own delay, in the order of the
/// delays, and nothing arrives before the reactor runs.
#[test]
fn ex1_delay_fires_each_deferred_after_its_delay() {
    let reactor = virtual_reactor();
    let seen = Seen::default();
    for (name, after) in [("a", 300), ("b", 200), ("c", 100)] {
        let (handle, log) = (reactor.clone(), Rc::clone(&seen));
        let _end = ex1::delay(&reactor, ms(after), name)
            .add_callback(move |name: &str| note(&log, &handle, name));
    }
    assert!(
        seen.borrow().is_empty(),
        "nothing fires before the reactor runs"
    );
    reactor.run().unwrap(); // on a virtual clock: returns when nothing is left
    assert_eq!(
        *seen.borrow(),
        [(100, "c".into()), (200, "b".into()), (300, "a".into())]
    );
    assert_eq!(reactor.failures(), 0);
}

/// Runs `with_timeout(d, 300 ms)` where `d` is fired at `at` ms with
/// `outcome`; returns what the chain after the timeout saw.
fn race(at: u64, outcome: Result<&'static str, Failure>) -> (Reactor, Vec<(u128, String)>) {
    let reactor = virtual_reactor();
    let (d, trigger) = deferred::<&'static str>();
    reactor.call_later(ms(at), move || match outcome {
        Ok(poem) => trigger.callback(poem),
        Err(failure) => trigger.errback(failure),
    });
    let seen = Seen::default();
    let (r1, r2, s1, s2) = (
        reactor.clone(),
        reactor.clone(),
        Rc::clone(&seen),
        Rc::clone(&seen),
    );
    let _end = ex2::with_timeout(&reactor, d, ms(300)).add_callbacks(
        move |poem: &str| note(&s1, &r1, format!("poem {poem}")),
        move |failure: Failure| {
            let kind = if failure.check::<ex2::TimedOut>() {
                "timed out".to_string()
            } else {
                format!("failed: {}", failure.message())
            };
            note(&s2, &r2, kind)
        },
    );
    reactor.run().unwrap();
    let seen = seen.borrow().clone();
    (reactor, seen)
}

/// Exercise 2: a result in time goes through, and the timed call, which
/// would have been refused, never runs (the reactor reports no failure).
#[test]
fn ex2_a_result_in_time_wins_and_the_timer_is_cancelled() {
    let (_unhandled, _guard) = watch_unhandled();
    let (reactor, seen) = race(100, Ok("in time"));
    assert_eq!(seen, [(100, "poem in time".to_string())]);
    assert_eq!(reactor.failures(), 0, "the timed call did not fire");
}

/// Exercise 2: too slow, and the chain fails with `TimedOut` at the
/// timeout; the late result is refused, quietly.
#[test]
fn ex2_a_slow_result_times_out_and_is_dropped_when_it_comes() {
    let (unhandled, _guard) = watch_unhandled();
    let (reactor, seen) = race(500, Ok("too late"));
    assert_eq!(seen, [(300, "timed out".to_string())]);
    assert!(reactor.now() >= ms(500), "the late result did come, later");
    assert_eq!(reactor.failures(), 0);
    assert!(unhandled.borrow().is_empty(), "{:?}", unhandled.borrow());
}

/// Exercise 2: a failure in time goes through as it is.
#[test]
fn ex2_a_failure_in_time_goes_through() {
    let (reactor, seen) = race(100, Err(Failure::msg("refused")));
    assert_eq!(seen, [(100, "failed: refused".to_string())]);
    assert_eq!(reactor.failures(), 0);
}

/// The number of the line of exercise 3's source that contains `needle`.
fn ex3_line(needle: &str) -> u32 {
    let source = include_str!("../examples/part07-ex3-track-caller.rs");
    let at = source
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} in the source"));
    u32::try_from(at + 1).unwrap()
}

/// Exercise 3: each failure points at the check that made it, not at the
/// helper.
#[test]
fn ex3_failures_point_at_the_check_that_failed() {
    let cases = [
        (" ".to_string(), "bad_poem(\"there is nothing in it\")"),
        ("— — —".to_string(), "bad_poem(\"it has no words\")"),
        ("Tyger\n".repeat(101), "bad_poem(\"it is too long\")"),
    ];
    let mut lines = Vec::new();
    for (poem, call) in cases {
        let (trigger, d) = ex3::checks();
        let got = Rc::new(RefCell::new(None));
        let sink = Rc::clone(&got);
        let _end = d.add_errback(move |failure: Failure| {
            *sink.borrow_mut() = Some((failure.location().file(), failure.location().line()));
            Ok(String::new())
        });
        trigger.callback(poem).unwrap();
        let (file, line) = got.borrow_mut().take().expect("the check failed");
        assert!(file.ends_with("part07-ex3-track-caller.rs"), "{file}");
        assert_eq!(line, ex3_line(call), "{call}");
        lines.push(line);
    }
    lines.dedup();
    assert_eq!(lines.len(), 3, "three different places");
    assert_ne!(
        lines[0],
        ex3_line("Failure::new(Message("),
        "not the helper"
    );
}

/// Exercise 3: a good poem passes every check.
#[test]
fn ex3_a_good_poem_passes() {
    let (trigger, d) = ex3::checks();
    let passed = Rc::new(RefCell::new(None));
    let sink = Rc::clone(&passed);
    let _end = d.add_callback(move |poem: String| *sink.borrow_mut() = Some(poem));
    trigger.callback("Tyger Tyger".to_string()).unwrap();
    assert_eq!(passed.borrow().as_deref(), Some("Tyger Tyger"));
}

/// Exercise 4: the chain pauses for half a second, and the heartbeats keep
/// their time meanwhile.
#[test]
fn ex4_the_chain_waits_and_the_reactor_goes_on() {
    let reactor = virtual_reactor();
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&lines);
    ex4::lesson(&reactor, Rc::new(move |line| sink.borrow_mut().push(line)));
    reactor.run().unwrap();
    assert_eq!(
        *lines.borrow(),
        [
            "0.0 s  callback 1: got the poem; pausing without blocking",
            "0.1 s    heartbeat 1",
            "0.2 s    heartbeat 2",
            "0.3 s    heartbeat 3",
            "0.4 s    heartbeat 4",
            "0.5 s  callback 2: going on with \"Tyger Tyger, burning bright,\"",
        ]
    );
    assert_eq!(reactor.failures(), 0);
}

/// Exercise 4: `wait` returns at once, with a deferred that fires after
/// the pause.
#[test]
fn ex4_wait_returns_at_once_and_fires_later() {
    let reactor = virtual_reactor();
    let later = ex4::wait(reactor.clone(), ms(250))(7);
    let got = Rc::new(RefCell::new(None));
    let (sink, handle) = (Rc::clone(&got), reactor.clone());
    let _end = later.add_callback(move |n: i32| *sink.borrow_mut() = Some((handle.now(), n)));
    assert!(got.borrow().is_none());
    reactor.run().unwrap();
    assert_eq!(*got.borrow(), Some((ms(250), 7)));
}

/// Runs an exercise's example as a reader would, checking that it
/// succeeded with nothing on standard error; returns its stdout (UTF-8).
fn run_example(name: &str) -> String {
    let output = run_example_ok("part-07", name, &[]);
    assert_eq!(output.stderr, "", "{name}");
    String::from_utf8(output.stdout_bytes).expect("UTF-8")
}

#[test]
fn the_exercise_examples_run_and_print_the_lesson() {
    let ex1 = run_example("part07-ex1-delay");
    let got: Vec<&str> = ex1.lines().filter(|l| l.contains(" got ")).collect();
    assert_eq!(
        got,
        [
            "0.1 s  got poem C",
            "0.2 s  got poem B",
            "0.3 s  got poem A"
        ]
    );

    let ex2 = run_example("part07-ex2-timeout");
    assert!(
        ex2.contains("fast: got \"Tyger Tyger, burning bright,\""),
        "{ex2}"
    );
    assert!(
        ex2.contains("slow: no poem: no result after 300ms"),
        "{ex2}"
    );
    assert!(!ex2.contains("slow: got"), "{ex2}");

    let ex3 = run_example("part07-ex3-track-caller");
    assert_eq!(ex3.lines().count(), 4, "{ex3}");
    assert_eq!(ex3.matches("(raised at ").count(), 3, "{ex3}");

    let ex4 = run_example("part07-ex4-wait");
    assert_eq!(ex4.matches("heartbeat").count(), 4, "{ex4}");
    assert!(
        ex4.lines().last().unwrap_or("").contains("callback 2"),
        "{ex4}"
    );
}
