//! Solutions to the chapter's exercises.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_02::ServerOptions;
use part_03::Disconnect;
use part_07::{Deferred, deferred, succeed};
use part_11::listen::ServerFactory;
use part_11::{FastPoetryFactory, SlowPoetryFactory};
use part_15::{FakeConnection, Trial, VirtualTime, trial};

// ANCHOR: fast
trial! {
    /// Exercise 2: the fast poetry server's protocol, in memory. The whole
    /// poem is written at once, the protocol asks to hang up, and the poem
    /// counts as served once the connection has closed cleanly.
    fn fast_poetry_writes_the_poem_and_hangs_up(_t: &Trial) -> Deferred<()> {
        let factory = FastPoetryFactory::new(&b"A short poem.\n"[..], part_11::report::quiet);
        let protocol = Rc::clone(&factory).build_protocol(FakeConnection::PEER);
        let mut connection = FakeConnection::open(protocol);
        assert_eq!(connection.written(), b"A short poem.\n");
        assert!(connection.is_disconnecting());
        assert_eq!(factory.poems_served(), 0, "not until the connection is over");
        connection.close(Disconnect::Done);
        assert_eq!(factory.poems_served(), 1);
        succeed(())
    }
}
// ANCHOR_END: fast

// ANCHOR: slow
trial! {
    /// Exercise 3: the slow poetry server's protocol on virtual time: ten
    /// bytes at once, ten more every 0.7 s, then the hang-up.
    fn slow_poetry_sends_a_chunk_per_tick(t: &Trial, _v: &VirtualTime) -> Deferred<()> {
        let poem = &b"Twenty-five bytes, exact."[..];
        let options = ServerOptions { num_bytes: 10, delay: Duration::from_millis(700) };
        let factory = SlowPoetryFactory::new(t.reactor(), poem, options, part_11::report::quiet);
        let mut connection = FakeConnection::open(factory.build_protocol(FakeConnection::PEER));
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push(connection.written().len());
            t.advance(Duration::from_millis(700));
        }
        assert_eq!(seen, [10, 20, 25]);
        assert!(connection.is_disconnecting());
        connection.close(Disconnect::Done);
        succeed(())
    }

    /// ...and a client that hangs up halfway: the protocol cancels its
    /// next chunk, or the harness would find the timer left behind.
    fn slow_poetry_stops_when_the_client_leaves(t: &Trial, _v: &VirtualTime) -> Deferred<()> {
        let options = ServerOptions { num_bytes: 10, delay: Duration::from_millis(700) };
        let factory =
            SlowPoetryFactory::new(t.reactor(), &[b'x'; 100][..], options, part_11::report::quiet);
        let mut connection = FakeConnection::open(factory.build_protocol(FakeConnection::PEER));
        t.advance(Duration::from_millis(700));
        connection.close(Disconnect::Lost(std::io::ErrorKind::ConnectionReset.into()));
        assert_eq!(connection.written().len(), 20);
        succeed(())
    }
}
// ANCHOR_END: slow

// ANCHOR: defer_later
/// Exercise 4: Twisted's `deferLater`: a deferred that fires with `f()`'s
/// value after `delay` on the test's clock.
fn defer_later<T: 'static>(
    t: &Trial,
    delay: Duration,
    f: impl FnOnce() -> T + 'static,
) -> Deferred<T> {
    let (d, trigger) = deferred();
    t.reactor().call_later(delay, move || {
        let _ = trigger.callback(f());
    });
    d
}
// ANCHOR_END: defer_later

trial! {
    /// Exercise 4: the deferred fires when its time comes, with the value.
    fn defer_later_fires_on_time(t: &Trial, _v: &VirtualTime) -> Deferred<()> {
        let fired_at = Rc::new(RefCell::new(None));
        let (seen, reactor) = (Rc::clone(&fired_at), t.reactor().clone());
        defer_later(t, Duration::from_secs(3), || "a poem").add_callback(move |poem: &str| {
            *seen.borrow_mut() = Some(reactor.now());
            assert_eq!(poem, "a poem");
            assert_eq!(*fired_at.borrow(), Some(Duration::from_secs(3)));
        })
    }
}
