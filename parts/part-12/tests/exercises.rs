//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module and run against
//! servers on free ports.

mod common;

use std::cell::RefCell;
use std::io::Read;
use std::net::TcpListener;
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

use common::{Kind, ask, events_until, spawn};
use part_03::Reactor;
use part_07::Failure;
use part_07::TimedOut;
use part_12::netstring::encode;
use part_12::{Closed, Event, ServerOptions, TransformError, TransformProxy};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part12-ex1-transforms.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part12-ex2-patience.rs"]
mod ex2;

#[test]
fn ex1_the_new_transforms_answer_and_a_failing_one_gets_no_reply() {
    let options = ServerOptions {
        transforms: ex1::transforms(),
        ..ServerOptions::default()
    };
    for kind in [Kind::Reactor, Kind::Tokio] {
        let (server, events) = spawn(kind, options.clone());
        let addr = server.addr();
        assert_eq!(
            ask(addr, &encode(b"shout.Tyger tyger")),
            encode(b"TYGER TYGER")
        );
        assert_eq!(
            ask(addr, &encode(b"reverse.a\nb\nc\n")),
            encode(b"c\nb\na\n")
        );
        assert_eq!(ask(addr, &encode(b"haiku.a\nb\nc")), encode(b"a\nb\nc"));
        assert_eq!(ask(addr, &encode(b"haiku.one line")), b"");
        let seen = events_until(&events, |seen| {
            seen.iter().any(|e| matches!(e, Event::Closed { .. }))
        });
        let why = seen.iter().find_map(|e| match e {
            Event::Closed { why, .. } => Some(why.clone()),
            _ => None,
        });
        assert_eq!(
            why,
            Some(Closed::Transform(TransformError::Failed {
                name: "haiku".into(),
                reason: "a haiku has three lines, not 1".into()
            })),
            "{kind:?}"
        );
    }
}

#[test]
fn ex2_a_server_that_never_answers_is_given_up_on_and_hung_up_on() {
    // A server that accepts and reads, and never replies.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut received = Vec::new();
        // Returns once the client hangs up.
        socket.read_to_end(&mut received).map(|_| received)
    });
    let reactor = Reactor::new().unwrap();
    let proxy = TransformProxy::new(&reactor, addr);
    let ends: Rc<RefCell<Vec<Result<String, Failure>>>> = Rc::default();
    let (keep, stopper) = (Rc::clone(&ends), reactor.clone());
    let start = Instant::now();
    let limit = Duration::from_millis(200);
    let _ = ex2::xform_within(&reactor, &proxy, "cummingsify", "HERE IS MY POEM", limit).add_both(
        move |result: Result<String, Failure>| {
            keep.borrow_mut().push(result);
            let _ = stopper.stop();
        },
    );
    reactor.run().unwrap();
    let took = start.elapsed();
    assert!(took >= limit && took < Duration::from_secs(5), "{took:?}");
    let mut ends = ends.borrow_mut();
    assert_eq!(ends.len(), 1);
    let failure = ends.pop().unwrap().unwrap_err();
    assert!(failure.check::<TimedOut>(), "{failure}");
    // The request went out whole, and then the client hung up (closing
    // once everything written has gone, on the reactor's next turns).
    drop(ends);
    let stopper = reactor.clone();
    reactor.call_later(Duration::from_millis(100), move || {
        let _ = stopper.stop();
    });
    reactor.run().unwrap();
    let received = server.join().unwrap().expect("the client hangs up");
    assert_eq!(received, b"27:cummingsify.HERE IS MY POEM,");

    // With a server that answers, the limit changes nothing.
    let (server, _events) = spawn(Kind::Reactor, ServerOptions::default());
    let addr = server.addr();
    let proxy = TransformProxy::new(&reactor, addr);
    let ends: Rc<RefCell<Vec<Result<String, Failure>>>> = Rc::default();
    let (keep, stopper) = (Rc::clone(&ends), reactor.clone());
    let _ = ex2::xform_within(
        &reactor,
        &proxy,
        "cummingsify",
        "HI",
        Duration::from_secs(5),
    )
    .add_both(move |result: Result<String, Failure>| {
        keep.borrow_mut().push(result);
        let _ = stopper.stop();
    });
    reactor.run().unwrap();
    assert_eq!(ends.borrow_mut().pop().unwrap().unwrap(), "hi");
}
