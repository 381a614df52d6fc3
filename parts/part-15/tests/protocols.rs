//! Protocols tested in memory, on a fake transport: client 4.0's poetry
//! protocol, and the transformation server's protocol, whose time limit
//! is tested on a virtual clock.

use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::time::Duration;

use part_02::FetchError;
use part_03::Disconnect;
use part_05::Protocol;
use part_06::Printer;
use part_07::{Deferred, Failure, succeed};
use part_12::server::{Closed, Event, ServerOptions, TransformFactory};
use part_12::{Request, netstring};
use part_15::{FakeConnection, Trial, VirtualTime, assert_failure, trial};

/// The lines a printer was given.
type Lines = Rc<RefCell<Vec<String>>>;

/// Client 4.0's protocol, as its factory builds it: the outcome fires a
/// deferred; the chunk lines are kept.
fn poetry_protocol() -> (Box<dyn Protocol>, Deferred<Vec<u8>>, Lines) {
    let lines: Lines = Rc::default();
    let kept = Rc::clone(&lines);
    let printer = Printer::new(move |_, line| kept.borrow_mut().push(line.to_string()));
    let (protocol, poem) = part_15::poetry_protocol(printer);
    (protocol, poem, lines)
}

/// A transformation server's protocol on a fake connection, with the
/// events it reports.
fn transform_protocol(t: &Trial) -> (FakeConnection, Rc<RefCell<Vec<Event>>>) {
    let events: Rc<RefCell<Vec<Event>>> = Rc::default();
    let kept = Rc::clone(&events);
    let options = ServerOptions::default();
    let factory = TransformFactory::new(t.reactor(), options, move |e| kept.borrow_mut().push(e));
    let protocol = part_11::listen::ServerFactory::build_protocol(factory, FakeConnection::PEER);
    (FakeConnection::open(protocol), events)
}

// ANCHOR: client_in_memory
trial! {
    /// Bytes in, in whatever pieces: the poem out, and a line per piece.
    fn poetry_protocol_collects_the_poem(_t: &Trial) -> Deferred<()> {
        let (protocol, poem, lines) = poetry_protocol();
        let mut connection = FakeConnection::open(protocol);
        connection.receive(b"This is a test.\n");
        connection.receive(b"This is only a test.\n");
        connection.close(Disconnect::Done);
        poem.add_callback(move |poem: Vec<u8>| {
            assert_eq!(poem, b"This is a test.\nThis is only a test.\n");
            assert_eq!(lines.borrow().len(), 2);
            assert!(lines.borrow()[0].starts_with("Task 1: got 16 bytes of poetry from"));
        })
    }
}
// ANCHOR_END: client_in_memory

trial! {
    /// A broken connection is a failure that says how much had arrived.
    fn poetry_protocol_reports_a_broken_connection(_t: &Trial) -> Deferred<()> {
        let (protocol, poem, _lines) = poetry_protocol();
        let mut connection = FakeConnection::open(protocol);
        connection.receive(b"This is");
        connection.close(Disconnect::Lost(io::ErrorKind::ConnectionReset.into()));
        assert_failure::<FetchError, _>(poem).add_callback(|f: Failure| {
            let error = f.downcast_ref::<FetchError>().unwrap();
            assert!(matches!(error, FetchError::Lost { received: 7, .. }), "{error}");
        })
    }

    /// The client never writes: a poetry client only listens.
    fn poetry_protocol_writes_nothing(_t: &Trial) -> Deferred<()> {
        let (protocol, _poem, _lines) = poetry_protocol();
        let mut connection = FakeConnection::open(protocol);
        connection.receive(b"a poem");
        assert!(connection.written().is_empty());
        assert!(!connection.is_disconnecting(), "the server decides when it ends");
        succeed(())
    }
}

// ANCHOR: server_in_memory
trial! {
    /// A request, one byte at a time: one reply, then the server hangs up.
    fn transform_server_answers_a_request(t: &Trial) -> Deferred<()> {
        let (mut connection, events) = transform_protocol(t);
        for byte in Request::encode("cummingsify", "The Owl AND the Pussy-cat") {
            assert!(connection.written().is_empty(), "no reply before the request");
            connection.receive(&[byte]);
        }
        assert_eq!(connection.written(), netstring::encode(b"the owl and the pussy-cat"));
        assert!(connection.is_disconnecting());
        connection.close(Disconnect::Done);
        assert!(matches!(&events.borrow()[1], Event::Transformed { name, .. } if name == "cummingsify"));
        succeed(())
    }
}
// ANCHOR_END: server_in_memory

trial! {
    /// A request that is not a netstring gets no reply, only a hang-up.
    fn transform_server_closes_on_a_malformed_request(t: &Trial) -> Deferred<()> {
        let (mut connection, events) = transform_protocol(t);
        connection.receive(b"hello, poetry server");
        assert!(connection.written().is_empty());
        assert!(connection.is_disconnecting());
        connection.close(Disconnect::Done);
        assert!(matches!(&events.borrow()[1], Event::Closed { why: Closed::Malformed(_), .. }));
        succeed(())
    }
}

// ANCHOR: deadline
/// A transformation server's protocol on a virtual clock.
struct Deadline;

impl part_15::Fixture for Deadline {
    const VIRTUAL_TIME: bool = true;
    fn set_up(_t: &Trial) -> Deferred<Deadline> {
        succeed(Deadline)
    }
}

trial! {
    /// A client that sends half a request is cut off when its time is up,
    /// and not a moment before: ten seconds pass in no time at all.
    fn transform_server_cuts_off_a_slow_client(t: &Trial, _d: &Deadline) -> Deferred<()> {
        let (mut connection, events) = transform_protocol(t);
        connection.receive(b"11:cummingsify");
        t.advance(Duration::from_millis(9_999));
        assert!(!connection.is_disconnecting(), "still within its time");
        t.advance(Duration::from_millis(1));
        assert!(connection.is_disconnecting(), "cut off at ten seconds");
        assert!(connection.written().is_empty());
        connection.close(Disconnect::Done);
        let why = Closed::TimedOut(Duration::from_secs(10));
        assert!(matches!(&events.borrow()[1], Event::Closed { why: w, .. } if *w == why));
        succeed(())
    }
}
// ANCHOR_END: deadline

trial! {
    /// The same on the harness's own fixture for virtual time.
    fn transform_server_answers_within_its_time(t: &Trial, _v: &VirtualTime) -> Deferred<()> {
        let (mut connection, _events) = transform_protocol(t);
        t.advance(Duration::from_secs(9));
        connection.receive(&Request::encode("cummingsify", "A"));
        assert_eq!(connection.written(), b"1:a,");
        connection.close(Disconnect::Done);
        // Answered: its deadline was cancelled, so the reactor is clean.
        succeed(())
    }
}
