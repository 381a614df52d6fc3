//! Tests of the harness itself: a passing test, each way of failing and
//! its message, set-up and tear-down that return deferreds, and virtual
//! time.

use std::cell::RefCell;
use std::net::{Ipv4Addr, TcpListener};
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_07::{Deferred, Failure, Message, Panicked, deferred, fail, succeed};
use part_15::{
    Fixture, PoetryServer, Problem, Stage, Suite, TestFailure, Trial, UnexpectedOutcome,
    VirtualTime, assert_failure, get_poetry, run_test, trial,
};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A deferred that fires with `value` after `delay` on the test's clock.
fn later<T: 'static>(t: &Trial, delay: Duration, value: T) -> Deferred<T> {
    let (d, trigger) = deferred();
    t.reactor().call_later(delay, move || {
        let _ = trigger.callback(value);
    });
    d
}

/// The failure of a test that should have failed.
fn failed(result: Result<(), TestFailure>) -> TestFailure {
    result.expect_err("the test should have failed")
}

#[test]
fn a_test_returning_a_deferred_passes_once_it_fires_with_a_result() {
    let seen = Rc::new(RefCell::new(None));
    let kept = Rc::clone(&seen);
    let result = run_test::<VirtualTime, _>("fires_later", move |t, _| {
        later(t, secs(3), 7).add_callback(move |n: i32| {
            *kept.borrow_mut() = Some(n);
            assert_eq!(n, 7);
        })
    });
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        *seen.borrow(),
        Some(7),
        "the callback ran before the verdict"
    );
}

#[test]
fn an_assertion_that_fails_in_a_callback_fails_the_test_with_its_message() {
    let failure = failed(run_test::<VirtualTime, _>("bad_sum", |t, _| {
        later(t, secs(1), 2 + 2).add_callback(|n: i32| assert_eq!(n, 5, "arithmetic"))
    }));
    assert_eq!(failure.test, "bad_sum");
    let [Problem::Failed { stage, failure: f }] = &failure.problems[..] else {
        panic!("one failure expected: {failure}");
    };
    assert_eq!(*stage, Stage::Test);
    assert!(f.check::<Panicked>());
    let message = failure.to_string();
    assert!(message.starts_with("test bad_sum failed:"), "{message}");
    assert!(message.contains("arithmetic"), "{message}");
}

#[test]
fn a_deferred_that_never_fires_times_out_naming_the_test_and_the_limit() {
    let start = Instant::now();
    let failure = failed(run_test::<VirtualTime, _>("never_fires", |t, _| {
        t.set_timeout(secs(5));
        let (d, trigger) = deferred::<()>();
        std::mem::forget(trigger); // nobody will ever fire it
        d
    }));
    let [Problem::TimedOut { stage, limit }] = &failure.problems[..] else {
        panic!("one time-out expected: {failure}");
    };
    assert_eq!((*stage, *limit), (Stage::Test, secs(5)));
    assert_eq!(
        failure.to_string(),
        "test never_fires failed:\n  the test timed out: its deferred had not fired after 5.000s"
    );
    assert!(start.elapsed() < secs(2), "virtual time: no real waiting");
}

#[test]
fn a_fixture_timeout_applies_to_set_up_too() {
    struct SlowToStart;
    impl Fixture for SlowToStart {
        const VIRTUAL_TIME: bool = true;
        const TIMEOUT: Duration = Duration::from_secs(2);
        fn set_up(t: &Trial) -> Deferred<SlowToStart> {
            later(t, secs(60), SlowToStart)
        }
    }
    let ran = Rc::new(RefCell::new(false));
    let body_ran = Rc::clone(&ran);
    let failure = failed(run_test::<SlowToStart, _>("slow_start", move |_, _| {
        *body_ran.borrow_mut() = true;
        succeed(())
    }));
    assert!(!*ran.borrow(), "no test without its fixture");
    // The set-up's timer is still to come: the reactor is dirty too.
    assert!(
        matches!(
            &failure.problems[..],
            [
                Problem::TimedOut {
                    stage: Stage::SetUp,
                    limit
                },
                Problem::Dirty(left)
            ] if *limit == secs(2) && left.len() == 1
        ),
        "{failure}"
    );
}

#[test]
fn set_up_and_tear_down_may_return_deferreds_and_are_waited_for() {
    thread_local! {
        static EVENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }
    fn log(t: &Trial, what: &str) {
        let line = format!("{what}@{}", t.now().as_secs());
        EVENTS.with(|events| events.borrow_mut().push(line));
    }
    struct Slow;
    impl Fixture for Slow {
        const VIRTUAL_TIME: bool = true;
        fn set_up(t: &Trial) -> Deferred<Slow> {
            log(t, "set_up");
            later(t, secs(1), Slow)
        }
        fn tear_down(&self, t: &Trial) -> Deferred<()> {
            log(t, "tear_down");
            later(t, secs(2), ())
        }
    }
    let result = run_test::<Slow, _>("ordered", |t, _| {
        log(t, "test");
        later(t, secs(3), ())
    });
    assert!(result.is_ok(), "{result:?}");
    let events = EVENTS.with(|events| events.take());
    assert_eq!(events, ["set_up@0", "test@1", "tear_down@4"]);
}

#[test]
fn assert_failure_passes_on_the_expected_type_and_hands_over_the_failure() {
    let result = run_test::<VirtualTime, _>("right_failure", |_, _| {
        assert_failure::<Message, ()>(fail(Failure::msg("no poem"))).add_callback(|f: Failure| {
            assert_eq!(f.message(), "no poem");
        })
    });
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn assert_failure_fails_on_another_type_of_error_naming_both() {
    let failure = failed(run_test::<VirtualTime, _>("wrong_failure", |_, _| {
        assert_failure::<part_02::FetchError, ()>(fail(Failure::msg("gibberish")))
    }));
    let [Problem::Failed { failure: f, .. }] = &failure.problems[..] else {
        panic!("one failure expected: {failure}");
    };
    assert!(matches!(
        f.downcast_ref(),
        Some(UnexpectedOutcome::WrongFailure { .. })
    ));
    let message = failure.to_string();
    assert!(
        message.contains("expected a failure of type FetchError, got [Failure Message: gibberish"),
        "{message}"
    );
    assert_eq!(
        f.location().file(),
        file!(),
        "raised where the test asserted"
    );
}

#[test]
fn assert_failure_fails_when_the_deferred_succeeds() {
    let failure = failed(run_test::<VirtualTime, _>("no_failure", |_, _| {
        assert_failure::<Message, u32>(succeed(3))
    }));
    let message = failure.to_string();
    assert!(
        message.contains("expected a failure of type Message, but it succeeded with a u32"),
        "{message}"
    );
}

#[test]
fn a_timed_call_left_behind_makes_the_reactor_dirty_and_is_named() {
    let line = line!() + 3;
    let failure = failed(run_test::<VirtualTime, _>("forgot_a_timer", |t, _| {
        let reactor = t.reactor();
        reactor.call_later(secs(30), || ());
        succeed(())
    }));
    let [Problem::Dirty(left)] = &failure.problems[..] else {
        panic!("a dirty reactor expected: {failure}");
    };
    assert_eq!(
        *left,
        [format!("timed call scheduled at {}:{line}", file!())]
    );
    assert!(
        failure
            .to_string()
            .contains("the reactor was left dirty:\n    timed call scheduled at")
    );
}

#[test]
fn a_listening_port_left_open_makes_the_reactor_dirty_and_is_named() {
    let addr = Rc::new(RefCell::new(None));
    let seen = Rc::clone(&addr);
    let failure = failed(run_test::<(), _>("forgot_a_port", move |t, _| {
        let factory = part_11::FastPoetryFactory::new(&b"x"[..], part_11::report::quiet);
        let port = part_11::listen_tcp(t.reactor(), "127.0.0.1", 0, factory).unwrap();
        *seen.borrow_mut() = Some(port.local_addr());
        succeed(())
    }));
    let addr = addr.borrow().expect("the test ran");
    assert!(
        matches!(&failure.problems[..], [Problem::Dirty(left)] if *left == [format!("listening port {addr}")]),
        "{failure}"
    );
    // The harness closed what was left: nobody listens there now.
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[test]
fn a_connection_left_open_makes_the_reactor_dirty_and_is_named() {
    // A peer that accepts and says nothing, so the connection stays open.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let failure = failed(run_test::<(), _>("forgot_a_connection", move |t, _| {
        // The download is abandoned, not cancelled: its connection stays.
        let download = get_poetry(t, addr);
        let (d, trigger) = deferred::<()>();
        t.reactor().call_later(Duration::from_millis(50), move || {
            drop(download);
            let _ = trigger.callback(());
        });
        d
    }));
    let [Problem::Dirty(left)] = &failure.problems[..] else {
        panic!("a dirty reactor expected: {failure}");
    };
    // The connection, and the timer that watches it for silence (part 5's
    // idle limit), which goes when the connection does.
    assert_eq!(left[0], format!("connection to {addr}"), "{left:?}");
    assert!(
        left[1..]
            .iter()
            .all(|what| what.starts_with("timed call scheduled at parts/part-05/src/transport.rs")),
        "{left:?}"
    );
    drop(listener);
}

#[test]
fn a_failed_callback_the_reactor_reported_fails_the_test() {
    let failure = failed(run_test::<VirtualTime, _>("logged", |t, _| {
        t.reactor()
            .call_later(secs(1), || -> () { panic!("a timer went wrong") });
        later(t, secs(2), ())
    }));
    assert!(
        matches!(&failure.problems[..], [Problem::Logged(what)] if what.contains("a timer went wrong")),
        "{failure}"
    );
}

#[test]
fn a_failing_set_up_skips_the_test_and_its_tear_down() {
    struct Broken;
    impl Fixture for Broken {
        fn set_up(_t: &Trial) -> Deferred<Broken> {
            fail(Failure::msg("no server today"))
        }
        fn tear_down(&self, _t: &Trial) -> Deferred<()> {
            unreachable!("nothing was set up")
        }
    }
    let failure = failed(run_test::<Broken, _>("broken", |_, _| -> Deferred<()> {
        unreachable!("no test without its fixture")
    }));
    assert!(
        matches!(&failure.problems[..], [Problem::Failed { stage: Stage::SetUp, failure }] if failure.message() == "no server today"),
        "{failure}"
    );
}

#[test]
fn virtual_time_a_suite_covers_hours_of_timers_in_a_moment() {
    let mut suite = Suite::new();
    for name in ["one", "two", "three", "four"] {
        suite.add::<VirtualTime, _>(name, |t, _| {
            // The time limit is on the test's clock: virtual, here.
            t.set_timeout(secs(2 * 3600));
            // An hour of ticks, a minute apart, checked as they pass.
            let ticks = Rc::new(RefCell::new(0));
            for minute in 1..=60 {
                let ticks = Rc::clone(&ticks);
                t.reactor()
                    .call_later(secs(60 * minute), move || *ticks.borrow_mut() += 1);
            }
            t.advance(secs(30 * 60));
            assert_eq!(*ticks.borrow(), 30, "half the hour, half the ticks");
            later(t, secs(30 * 60), ()).add_callback(move |()| {
                assert_eq!(*ticks.borrow(), 60);
            })
        });
    }
    let mut lines = Vec::new();
    let summary = suite.run(&mut |line| lines.push(line.to_string()));
    assert_eq!(summary.failures(), 0, "{lines:#?}");
    assert_eq!(summary.clock_time(), secs(4 * 3600));
    assert!(
        summary.wall < secs(4 * 3600) / 1000,
        "four hours of timers in {:?}",
        summary.wall
    );
}

#[test]
fn a_suite_reports_each_test_and_each_failure() {
    let mut suite = Suite::new();
    suite.add::<VirtualTime, _>("passes", |_, _| succeed(()));
    suite.add::<VirtualTime, _>("fails", |_, _| fail::<()>(Failure::msg("oops")));
    let mut lines = Vec::new();
    let summary = suite.run(&mut |line| lines.push(line.to_string()));
    assert_eq!(summary.failures(), 1);
    assert_eq!(lines[..2], ["  passes ... [OK]", "  fails ... [FAIL]"]);
    assert!(
        lines.iter().any(|line| line
            .starts_with("[FAIL] test fails failed:\n  the test failed: [Failure Message: oops")),
        "{lines:#?}"
    );
    assert_eq!(lines.last().unwrap(), "FAILED (failures=1, successes=1)");
}

trial! {
    /// The harness's macro makes a normal `#[test]` of a test with a
    /// fixture...
    fn the_macro_runs_a_test_with_a_fixture(t: &Trial, server: &PoetryServer) -> Deferred<()> {
        get_poetry(t, server.addr()).add_callback(|poem: Vec<u8>| {
            assert_eq!(poem, part_15::TEST_POEM);
        })
    }

    /// ...and one without.
    fn the_macro_runs_a_test_without_one(t: &Trial) -> Deferred<u64> {
        let (d, trigger) = deferred();
        t.reactor().call_later(Duration::from_millis(1), move || {
            let _ = trigger.callback(1);
        });
        d
    }

    /// A failure shows in cargo's output as the test's panic, with the
    /// harness's message.
    #[should_panic(expected = "test the_macro_reports_a_failure failed:\n  the test failed: [Failure Message: on purpose")]
    fn the_macro_reports_a_failure(_t: &Trial) -> Deferred<()> {
        fail(Failure::msg("on purpose"))
    }
}
