//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module and run against
//! servers on free ports; the last exercise, a question, is answered by a
//! test of what a panicking callback does to client 4.0's chain.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::string::FromUtf8Error;
use std::time::{Duration, Instant};

use common::{closed, run_within, silent_tasks, watching_server};
use part_02::FetchError;
use part_03::Reactor;
use part_06::Countdown;
use part_07::{Deferred, Failure, on_unhandled};
use part_08::get_poetry;
use testkit::{one_shot_server, servers};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part08-ex1-titles.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part08-ex2-backup.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part08-ex3-quickest.rs"]
mod ex3;

/// What came out at the end of a chain: each result or failure, in order.
type Ends<T> = Rc<RefCell<Vec<Result<T, Failure>>>>;

/// Runs the reactor until the end of `deferred`'s chain, and returns what
/// arrived there. Fails the test if nothing arrives within 20 s.
fn wait_for<T: 'static>(reactor: &Reactor, deferred: Deferred<T>) -> Vec<Result<T, Failure>> {
    let ends: Ends<T> = Rc::default();
    let (kept, stopper) = (Rc::clone(&ends), reactor.clone());
    let _ = deferred.add_both(move |end: Result<T, Failure>| {
        kept.borrow_mut().push(end);
        let _ = stopper.stop();
    });
    run_within(reactor, Duration::from_secs(20));
    ends.take()
}

/// Exercise 1: good servers' poems come out as text, with their titles;
/// bytes that are not UTF-8 go down the errback side.
#[test]
fn ex1_poems_become_text_or_a_failure() {
    let (server, poem) = &servers(1, 300, 5)[0];
    let reactor = Reactor::new().unwrap();
    let task = &silent_tasks(&[server.addr()])[0];
    let ends = wait_for(&reactor, ex1::get_poem_text(&reactor, task));
    let [Ok(text)] = &ends[..] else {
        panic!("{ends:?}")
    };
    assert_eq!(text.as_bytes(), *poem);
    assert_eq!(
        ex1::title(text),
        std::str::from_utf8(poem).unwrap().lines().next().unwrap()
    );

    let bad = one_shot_server(b"Tyger \xff\xfe Tyger", Duration::ZERO);
    let task = &silent_tasks(&[bad])[0];
    let ends = wait_for(&reactor, ex1::get_poem_text(&reactor, task));
    let [Err(failure)] = &ends[..] else {
        panic!("{ends:?}")
    };
    assert!(failure.check::<FromUtf8Error>(), "{failure}");
    // What poem_failed would print, as the chapter says.
    assert_eq!(
        failure.message(),
        "invalid utf-8 sequence of 1 bytes from index 6"
    );
    assert!(failure.location().file().ends_with("part08-ex1-titles.rs"));
}

/// Exercise 2: the backup is asked only when the first server fails.
#[test]
fn ex2_the_backup_stands_in_only_when_needed() {
    let servers = servers(2, 300, 5);
    let reactor = Reactor::new().unwrap();

    // The first fails: the poem comes from the backup.
    let tasks = silent_tasks(&[closed(), servers[1].0.addr()]);
    let ends = wait_for(&reactor, ex2::get_poetry_or(&reactor, &tasks[0], &tasks[1]));
    assert!(
        matches!(&ends[..], [Ok(poem)] if poem == servers[1].1),
        "{ends:?}"
    );

    // The first works: the backup (a closed port) is never tried.
    let tasks = silent_tasks(&[servers[0].0.addr(), closed()]);
    let ends = wait_for(&reactor, ex2::get_poetry_or(&reactor, &tasks[0], &tasks[1]));
    assert!(
        matches!(&ends[..], [Ok(poem)] if poem == servers[0].1),
        "{ends:?}"
    );

    // Both fail: the backup's failure is the one that arrives.
    let (first, backup) = (closed(), closed());
    let tasks = silent_tasks(&[first, backup]);
    let ends = wait_for(&reactor, ex2::get_poetry_or(&reactor, &tasks[0], &tasks[1]));
    let [Err(failure)] = &ends[..] else {
        panic!("{ends:?}")
    };
    assert!(matches!(
        failure.downcast_ref::<FetchError>(),
        Some(FetchError::Connect(_))
    ));
}

/// Exercise 3: the quickest mirror wins and the slow one is hung up on.
#[test]
fn ex3_the_quickest_mirror_wins_and_the_others_are_cancelled() {
    let (quick, poem) = &servers(1, 1000, 5)[0];
    let (slow, hung_up) = watching_server(10);
    let reactor = Reactor::new().unwrap();
    let mirrors = silent_tasks(&[slow, quick.addr()]);
    let start = Instant::now();
    let ends = wait_for(&reactor, ex3::get_quickest(&reactor, &mirrors));
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(
        matches!(&ends[..], [Ok((2, got))] if got == poem),
        "{ends:?}"
    );
    // Let the reactor close the cancelled connection.
    let stopper = reactor.clone();
    reactor.call_later(Duration::from_millis(100), move || stopper.stop());
    reactor.run().unwrap();
    hung_up
        .recv_timeout(Duration::from_secs(5))
        .expect("the slow mirror sees the hang-up");
}

/// Exercise 3: with every mirror failing, the last failure arrives, once.
#[test]
fn ex3_every_mirror_failing_is_one_failure() {
    let reactor = Reactor::new().unwrap();
    let mirrors = silent_tasks(&[closed(), closed(), closed()]);
    let ends = wait_for(&reactor, ex3::get_quickest(&reactor, &mirrors));
    let [Err(failure)] = &ends[..] else {
        panic!("{ends:?}")
    };
    assert!(failure.check::<FetchError>(), "{failure}");
}

/// Exercise 3: cancelling the quickest cancels every download.
#[test]
fn ex3_cancelling_the_race_hangs_up_on_every_mirror() {
    let (one, one_hung_up) = watching_server(10);
    let (two, two_hung_up) = watching_server(10);
    let reactor = Reactor::new().unwrap();
    let quickest = ex3::get_quickest(&reactor, &silent_tasks(&[one, two]));
    let cancel = quickest.cancel_handle();
    reactor.call_later(Duration::from_millis(100), move || cancel.cancel());
    let ends = wait_for(&reactor, quickest);
    assert!(matches!(&ends[..], [Err(f)] if f.check::<part_07::CancelledError>()));
    let stopper = reactor.clone();
    reactor.call_later(Duration::from_millis(100), move || stopper.stop());
    reactor.run().unwrap();
    for hung_up in [one_hung_up, two_hung_up] {
        hung_up
            .recv_timeout(Duration::from_secs(5))
            .expect("hung up");
    }
}

/// Exercise 4 (a question): what a panic in got_poem does to client 4.0's
/// chain. The errback of the same pair never sees it; poem_done does, as a
/// `Panicked` failure, and, returning `()`, quietly ends the chain well.
/// With the errback in a step of its own, after the callback, the panic
/// reaches it.
#[test]
fn ex4_a_panicking_callback_is_seen_by_the_next_step_only() {
    fn got_poem(_poem: Vec<u8>) {
        panic!("got_poem has a bug");
    }
    let (server, _) = &servers(1, 1000, 5)[0];
    let unhandled = Rc::new(RefCell::new(0));
    let counted = Rc::clone(&unhandled);
    let _guard = on_unhandled(move |_| *counted.borrow_mut() += 1);
    for separate_errback in [false, true] {
        let reactor = Reactor::new().unwrap();
        let errback_saw: Rc<RefCell<Vec<String>>> = Rc::default();
        let done_saw: Rc<RefCell<Vec<String>>> = Rc::default();
        let (errback_log, done_log) = (Rc::clone(&errback_saw), Rc::clone(&done_saw));
        let poem_failed =
            move |failure: Failure| errback_log.borrow_mut().push(failure.to_string());
        let countdown = Countdown::new(&reactor, 1);
        let poem_done = move |end: Result<(), Failure>| {
            done_log.borrow_mut().push(match end {
                Ok(()) => "ok".to_string(),
                Err(failure) => failure.short_type_name().to_string(),
            });
            countdown.one_done();
        };
        let deferred = get_poetry(&reactor, &silent_tasks(&[server.addr()])[0]);
        let deferred = if separate_errback {
            deferred.add_callback(got_poem).add_errback(poem_failed)
        } else {
            deferred.add_callbacks(got_poem, poem_failed)
        };
        let _ = deferred.add_both(poem_done);
        reactor.run().unwrap();
        let (errback_saw, done_saw) = (errback_saw.take(), done_saw.take());
        if separate_errback {
            assert_eq!(errback_saw.len(), 1);
            assert!(
                errback_saw[0].contains("got_poem has a bug"),
                "{errback_saw:?}"
            );
            assert_eq!(done_saw, ["ok"]);
        } else {
            assert!(errback_saw.is_empty(), "{errback_saw:?}");
            assert_eq!(done_saw, ["Panicked"]);
        }
    }
    // Either way the chain ended well: nothing was left unhandled.
    assert_eq!(*unhandled.borrow(), 0);
}
