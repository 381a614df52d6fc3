//! The exercise solutions of part 14: the pre-failed `defer-11` (1) and the
//! deferred that cannot fire in between (5) run as examples; the
//! transformation proxy (4) and the expiring memo (6) compiled here as modules and
//! driven on a reactor or by hand. (Exercises 2 and 3, a maximum age and
//! single-flight, are `poetry-proxy-2` itself; `tests/proxies.rs` tests
//! them.)

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Failure, Trigger, deferred};
use part_11::listen_tcp;
use part_12::{ProxyError, ServerOptions, TransformFactory, TransformProxy};
use part_14::Memo;
use testkit::{self, assert_in_order, run_within};

#[allow(dead_code)] // its `main` is the example's
#[path = "../examples/part14-ex4-transform-proxy.rs"]
mod transform_proxy;

#[allow(dead_code)] // its `main` is the example's
#[path = "../examples/part14-ex6-memo.rs"]
mod expiring;

/// A transformation server of part 12 and the proxy of exercise 4 in
/// front of it, both on `reactor` on free ports: the proxy's address, and
/// the server's factory (which counts the requests it answered).
fn proxy_in_front_of_a_server(reactor: &Reactor) -> (SocketAddr, Rc<TransformFactory>) {
    let server = TransformFactory::new(reactor, ServerOptions::default(), |_| {});
    let upstream = listen_tcp(reactor, "127.0.0.1", 0, server.clone()).unwrap();
    let service = Rc::new(transform_proxy::ProxyService::new(
        reactor,
        upstream.local_addr(),
    ));
    let factory = Rc::new(transform_proxy::ProxyFactory { service });
    // Dropping a port's handle does not stop it: both listen on.
    let proxy = listen_tcp(reactor, "127.0.0.1", 0, factory).unwrap();
    (proxy.local_addr(), server)
}

#[test]
fn the_transformation_proxy_answers_with_what_the_server_said() {
    let reactor = Reactor::new().unwrap();
    let (proxy, server) = proxy_in_front_of_a_server(&reactor);
    let client = TransformProxy::new(&reactor, proxy);
    let outcomes: Rc<RefCell<Vec<Result<String, String>>>> = Rc::default();
    let asks = [
        ("cummingsify", "Tyger TYGER"),
        ("no-such-transform", "Tyger"),
    ];
    for (name, poem) in asks {
        let (kept, done) = (Rc::clone(&outcomes), reactor.clone());
        let _ = client.xform(name, poem).add_both(move |outcome| {
            let outcome = outcome.map_err(|failure: Failure| match failure.downcast_ref() {
                Some(ProxyError::NoReply) => "no reply".to_string(),
                _ => failure.message(),
            });
            kept.borrow_mut().push(outcome);
            if kept.borrow().len() == asks.len() {
                let _ = done.stop();
            }
        });
    }
    run_within(&reactor, Duration::from_secs(10));
    let mut outcomes = outcomes.take();
    outcomes.sort();
    assert_eq!(
        outcomes,
        [Ok("tyger tyger".to_string()), Err("no reply".to_string())]
    );
    // The proxy asked the server: it answered the one it could.
    assert_eq!(server.answered(), 1);
}

#[test]
fn a_deferred_cannot_fire_while_its_callbacks_are_added() {
    let output = testkit::run_example_ok("part-14", "part14-ex5-no-race", &["--pause-ms", "100"]);
    assert_eq!(
        output.stdout.lines().collect::<Vec<_>>(),
        [
            "get_poetry has returned its deferred.",
            "Callback added. Sleeping while the poem arrives...",
            "Awake. Has the deferred fired? false",
            "Errback added. Has the deferred fired? false",
            "Running the reactor.",
            "callback: got 29 bytes",
            "The reactor has stopped. Has the deferred fired? true",
        ]
    );
}

#[test]
fn a_prefailed_deferred_runs_errbacks_at_once_and_reports_when_dropped() {
    let output = testkit::run_example_ok("part-14", "part14-ex1-prefailed", &[]);
    assert!(!output.stdout.contains("never printed"));
    assert_in_order(
        &output.stdout,
        &[
            "the callback was skipped; adding an errback",
            "errback got [Failure Message: no poem today",
            "the errback ran inside add_errback.",
            "now the last handle goes:",
            "the failure was reported as the handle was dropped",
        ],
    );
    assert!(
        output
            .stderr
            .contains("Unhandled error in Deferred: [Failure Message: still no poem"),
        "{}",
        output.stderr
    );
}

/// Exercise 6: a memo whose download is fired by hand, behind `Expiring`
/// with a ten-second maximum age on a virtual clock.
#[test]
fn expiring_answers_are_asked_for_again_and_fresh_ones_are_not() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap();
    let pending: Rc<RefCell<Vec<Trigger<String>>>> = Rc::default();
    let record = Rc::clone(&pending);
    let memo = Memo::new(move |_: &u32| {
        let (d, trigger) = deferred();
        record.borrow_mut().push(trigger);
        d
    });
    let cache = expiring::Expiring::new(memo.clone(), &reactor, Duration::from_secs(10));
    let got: Rc<RefCell<Vec<String>>> = Rc::default();
    let ask = |at: u64| {
        reactor
            .advance(Duration::from_secs(at) - reactor.now())
            .unwrap();
        let got = Rc::clone(&got);
        let _ = cache.get(1).add_both(move |o: Result<String, Failure>| {
            got.borrow_mut().push(o.unwrap_or_else(|f| f.message()));
        });
    };
    ask(0);
    ask(1); // shares the call under way
    assert_eq!(memo.calls(), 1);
    reactor.advance(Duration::from_secs(1)).unwrap();
    pending
        .borrow_mut()
        .remove(0)
        .callback("old".into())
        .unwrap(); // arrives at 2 s
    ask(11); // 9 s old: still fresh
    assert_eq!(memo.calls(), 1);
    ask(12); // 10 s old: asked for again
    assert_eq!(memo.calls(), 2);
    pending
        .borrow_mut()
        .remove(0)
        .callback("new".into())
        .unwrap();
    ask(13);
    assert_eq!(memo.calls(), 2);
    assert_eq!(*got.borrow(), ["old", "old", "old", "new", "new"]);
    // A failure is not timed, so it is not kept either.
    reactor.advance(Duration::from_secs(20)).unwrap();
    ask(40);
    pending
        .borrow_mut()
        .remove(0)
        .errback(Failure::msg("down"))
        .unwrap();
    ask(41);
    assert_eq!(memo.calls(), 4);
}
