//! The exercise solutions of part 14: the pre-failed `defer-11` (1) and the
//! deferred that cannot fire in between (5) run as examples; the
//! transformation proxy (4) and the memo (6) compiled here as modules and
//! driven on a reactor or by hand. (Exercises 2 and 3, a maximum age and
//! single-flight, are `poetry-proxy-2` itself; `tests/proxies.rs` tests
//! them.)

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use part_03::Reactor;
use part_07::{Failure, Trigger, deferred};
use part_11::listen_tcp;
use part_12::{ProxyError, ServerOptions, TransformFactory, TransformProxy};
use testkit::{self, assert_in_order, run_within};

#[allow(dead_code)] // its `main` is the example's
#[path = "../examples/part14-ex4-transform-proxy.rs"]
mod transform_proxy;

#[allow(dead_code)] // its `main` is the example's
#[path = "../examples/part14-ex6-memo.rs"]
mod memo;

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

type Pending = Rc<RefCell<Vec<(u32, Trigger<String>)>>>;

/// A memo over a pretend download that keeps its triggers in `pending`.
fn memo_of(pending: &Pending) -> Rc<memo::Memo<u32, String>> {
    let record = Rc::clone(pending);
    memo::Memo::new(move |key: &u32| {
        let (d, trigger) = deferred();
        record.borrow_mut().push((*key, trigger));
        d
    })
}

type Got = Rc<RefCell<Vec<Result<String, String>>>>;

fn collect(got: &Got) -> impl FnOnce(Result<String, Failure>) + use<> {
    let got = Rc::clone(got);
    move |outcome| got.borrow_mut().push(outcome.map_err(|f| f.message()))
}

#[test]
fn the_memo_asks_once_per_key_and_remembers() {
    let pending: Pending = Rc::default();
    let memo = memo_of(&pending);
    let got: Got = Rc::default();
    for key in [1, 1, 2, 1] {
        let _ = memo.get(key).add_both(collect(&got));
    }
    assert_eq!(pending.borrow().len(), 2, "one call per key");
    assert!(got.borrow().is_empty(), "nothing has arrived yet");
    let finished: Vec<_> = pending.borrow_mut().drain(..).collect();
    for (key, trigger) in finished {
        trigger.callback(format!("poem {key}")).expect("fires once");
    }
    assert_eq!(got.borrow().len(), 4);
    assert_eq!(
        got.borrow()
            .iter()
            .filter(|o| o.as_deref() == Ok("poem 1"))
            .count(),
        3
    );
    // Known now: fired already, and no new call.
    assert!(memo.get(1).is_called());
    assert!(pending.borrow().is_empty());
}

#[test]
fn the_memo_passes_a_failure_to_every_waiter_and_forgets_it() {
    let pending: Pending = Rc::default();
    let memo = memo_of(&pending);
    let got: Got = Rc::default();
    for _ in 0..3 {
        let _ = memo.get(7).add_both(collect(&got));
    }
    let (_, trigger) = pending.borrow_mut().pop().expect("one call");
    trigger
        .errback(Failure::msg("upstream down"))
        .expect("fires once");
    assert_eq!(
        *got.borrow(),
        vec![Err("upstream down".to_string()); 3],
        "every waiter hears the failure"
    );
    // Forgotten: the next get calls the function again.
    let again = memo.get(7);
    assert!(!again.is_called());
    assert_eq!(pending.borrow().len(), 1);
    let _ = again.add_errback(|_| Ok(String::new()));
}
