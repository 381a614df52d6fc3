//! Client 4.0's `get_poetry`: it returns a [`Deferred`].
//!
//! Client 3.1 asked its caller for two closures up front and kept them in
//! its factory. Here the factory keeps a [`Trigger`] instead, and the
//! caller gets the other end, the [`Deferred`], as the return value. What
//! happens to the poem is no longer `get_poetry`'s business at all: the
//! caller adds callbacks and errbacks to the deferred, as many as it likes,
//! in whatever order it likes, before or after the poem arrives.
//!
//! The protocol is part 6's [`PoetryProtocol`], unchanged: it collects the
//! poem, prints each chunk through its task, and hands the outcome to
//! whoever built it. The factory turns that outcome into one firing of the
//! deferred: `callback(poem)` for a poem, `errback(error)` for a failure.
//!
//! ## Why `Deferred<Vec<u8>>`, not `Deferred<String>`
//!
//! A poem is UTF-8 text, and a caller will usually want a `String`. But
//! turning bytes into text is a step that can fail (a server may send
//! anything), and a deferred is exactly the place for steps that can fail:
//! `get_poetry(…).add_callback(|poem| Ok(String::from_utf8(poem)?))` sends
//! bad bytes down the errback side with a `FromUtf8Error` in the failure,
//! where the caller's errbacks can see it. `get_poetry` stays what the
//! layers below it are, a carrier of bytes, and does one job: the download.
//!
//! ## Cancelling
//!
//! The deferred has a canceller (part 19 explains cancellation in full):
//! [`Deferred::cancel`] on a download that has not finished closes its
//! connection, or abandons the attempt to connect, and the deferred fails
//! with [`CancelledError`](part_07::CancelledError). Whatever the
//! connection does afterwards is ignored: the factory has let go of its
//! trigger.

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use part_02::FetchError;
use part_03::Reactor;
use part_05::{ClientFactory, Connector, Protocol, connect_tcp_with};
use part_06::{Outcome, PoetryProtocol, Task};
use part_07::{Deferred, Trigger};

// ANCHOR: factory
/// Builds the protocol for one download, and fires the deferred when the
/// download is over: with the poem, or with the reason there is none.
pub struct PoetryClientFactory {
    task: Task,
    /// The trigger, until the download is over (or cancelled). Taking it
    /// out before firing means it fires once, whatever happens later.
    trigger: RefCell<Option<Trigger<Vec<u8>>>>,
}

impl PoetryClientFactory {
    /// The download is over, one way or the other.
    fn poem_finished(&self, outcome: Outcome) {
        let Some(trigger) = self.trigger.take() else {
            return; // cancelled: nobody is waiting for this any more
        };
        // Firing runs the caller's callbacks, here and now, on this stack.
        let _ = match outcome {
            Ok(poem) => trigger.callback(poem),
            Err(error) => trigger.errback(error),
        };
    }
}

impl ClientFactory for PoetryClientFactory {
    fn build_protocol(self: Rc<Self>, _addr: SocketAddr) -> Box<dyn Protocol> {
        let task = self.task.clone();
        Box::new(PoetryProtocol::new(task, move |outcome| {
            self.poem_finished(outcome)
        }))
    }

    fn client_connection_failed(&self, _connector: &Connector, reason: io::Error) {
        self.poem_finished(Err(FetchError::Connect(reason)));
    }
}
// ANCHOR_END: factory

/// What the canceller needs to stop a download: the factory (to take its
/// trigger away) and the connector (to hang up). Filled in once
/// `connect_tcp` has returned the connector.
type Download = Rc<RefCell<Option<(Rc<PoetryClientFactory>, Connector)>>>;

// ANCHOR: get_poetry
/// Downloads a poem for `task`, and returns at once with a deferred that
/// fires when the download is over: with the poem's bytes, or with a
/// [`FetchError`] (connection refused, connection lost). The download
/// happens while the reactor runs; the chunk lines are printed through
/// the task, as client 3.0's are.
///
/// Cancelling the deferred before it fires closes the connection.
pub fn get_poetry(reactor: &Reactor, task: &Task) -> Deferred<Vec<u8>> {
    let download: Download = Rc::default();
    let (deferred, trigger) = Deferred::with_canceller(canceller(&download));
    let factory = Rc::new(PoetryClientFactory {
        task: task.clone(),
        trigger: RefCell::new(Some(trigger)),
    });
    let connector = connect_tcp_with(reactor, task.addr, factory.clone(), task.timeouts);
    *download.borrow_mut() = Some((factory, connector));
    deferred
}
// ANCHOR_END: get_poetry

// ANCHOR: abandon
/// The canceller of the deferred `get_poetry` returns: once the download
/// is under way, it stops it with [`abandon`]. Before `connect_tcp` has
/// returned there is nothing to stop, and it does nothing.
fn canceller(download: &Download) -> impl FnOnce(&Trigger<Vec<u8>>) + 'static {
    let download = Rc::clone(download);
    move |_trigger| {
        if let Some((factory, connector)) = download.take() {
            abandon(&factory, &connector);
        }
    }
}

/// The canceller's work: take the trigger from the factory, so that
/// nothing the connection does from now on fires the deferred, then hang
/// up (or give up connecting). The deferred then fails with
/// `CancelledError`.
fn abandon(factory: &PoetryClientFactory, connector: &Connector) {
    drop(factory.trigger.take());
    connector.disconnect();
}
// ANCHOR_END: abandon
