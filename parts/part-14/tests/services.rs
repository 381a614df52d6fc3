//! The proxies' services inside the test, on a reactor of their own: what
//! `get_poem` hands back in each state, seen from the deferred's side.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_02::Address;
use part_03::Reactor;
use part_06::Printer;
use part_07::Deferred;
use part_14::{CountingServer, MaybePoem, Poem, ProxyService1, ProxyService2, Upstream};
use testkit::{closed_port, poem};

fn quiet() -> Printer {
    Printer::new(|_, _| {})
}

fn upstream_at(reactor: &Reactor, port: u16) -> Upstream {
    let address = Address::local(port);
    let addr = address.resolve().expect("a local address");
    Upstream::new(reactor, address, addr)
}

/// Collects what a deferred fires with, and stops the reactor once
/// `expected` outcomes are in.
fn collect(
    reactor: &Reactor,
    outcomes: &Rc<RefCell<Vec<Result<Poem, String>>>>,
    expected: usize,
    d: Deferred<Poem>,
) {
    let (done, failed) = (Rc::clone(outcomes), Rc::clone(outcomes));
    let (r1, r2) = (reactor.clone(), reactor.clone());
    let _ = d.add_callbacks(
        move |poem: Poem| {
            done.borrow_mut().push(Ok(poem));
            if done.borrow().len() == expected {
                r1.stop().expect("the reactor stops");
            }
        },
        move |failure| {
            failed.borrow_mut().push(Err(failure.message()));
            if failed.borrow().len() == expected {
                r2.stop().expect("the reactor stops");
            }
        },
    );
}

#[test]
fn proxy_1_returns_a_deferred_or_the_poem_itself() {
    let reactor = Reactor::new().expect("a reactor");
    let server = CountingServer::spawn(poem("tyger.txt"), Duration::ZERO).expect("upstream");
    let service = ProxyService1::new(upstream_at(&reactor, server.addr().port()), quiet());
    let first = match service.get_poem() {
        MaybePoem::Fetching(d) => d,
        MaybePoem::Cached(_) => panic!("nothing is cached yet"),
    };
    assert!(!first.is_called(), "the download has not happened yet");
    let outcomes = Rc::default();
    collect(&reactor, &outcomes, 1, first);
    reactor.run().expect("the reactor runs");
    assert!(matches!(&outcomes.borrow()[0], Ok(p) if &p[..] == poem("tyger.txt")));
    match service.get_poem() {
        MaybePoem::Cached(p) => assert_eq!(&p[..], poem("tyger.txt")),
        MaybePoem::Fetching(_) => panic!("the poem is cached now"),
    }
    // Through maybe_deferred it is a deferred that has fired already.
    assert!(service.poem_deferred().is_called());
    assert_eq!(service.downloads(), 1);
}

#[test]
fn proxy_2_moves_through_its_three_states() {
    let reactor = Reactor::new().expect("a reactor");
    let server =
        CountingServer::spawn(poem("tyger.txt"), Duration::from_millis(50)).expect("upstream");
    let service = ProxyService2::new(
        upstream_at(&reactor, server.addr().port()),
        None,
        true,
        quiet(),
    );
    assert_eq!(service.state_name(), "empty");
    let outcomes = Rc::default();
    for _ in 0..3 {
        let d = service.get_poem();
        assert!(!d.is_called());
        assert_eq!(service.state_name(), "fetching");
        collect(&reactor, &outcomes, 3, d);
    }
    reactor.run().expect("the reactor runs");
    assert_eq!(service.state_name(), "cached");
    assert_eq!(outcomes.borrow().len(), 3);
    assert!(outcomes.borrow().iter().all(|o| o.is_ok()));
    assert_eq!(service.downloads(), 1);
    assert_eq!(server.accepted(), 1);
    // Cached: a deferred fired already, by `succeed`.
    assert!(service.get_poem().is_called());
}

#[test]
fn proxy_2_fails_every_waiting_client_and_empties_its_cache() {
    let reactor = Reactor::new().expect("a reactor");
    let service = ProxyService2::new(upstream_at(&reactor, closed_port()), None, true, quiet());
    let outcomes = Rc::default();
    for _ in 0..3 {
        collect(&reactor, &outcomes, 3, service.get_poem());
    }
    reactor.run().expect("the reactor runs");
    let outcomes = outcomes.borrow();
    assert_eq!(outcomes.len(), 3);
    for outcome in outcomes.iter() {
        let message = outcome.as_ref().expect_err("a failure");
        assert!(
            message.starts_with("cannot get the poem from 127.0.0.1:"),
            "{message}"
        );
    }
    assert_eq!(service.state_name(), "empty");
    assert_eq!(service.downloads(), 1);
}
