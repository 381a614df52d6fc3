//! Client 3.1: `get_poetry(reactor, task, callback, errback)`.
//!
//! The caller hands over two things: what to do with the poem, and what to
//! do if there will be no poem. The factory keeps both and, when the
//! download is over, calls exactly one of them, once. The failure now goes
//! where the poem would have gone, to the program, which decides what it
//! means: print it, try another server, give up.
//!
//! Compare [`crate::callback`], client 3.0: the protocol is the same, and
//! the factory differs only in what it keeps and what it does with a
//! failure.

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use part_02::FetchError;
use part_03::Reactor;
use part_05::{ClientFactory, Connector, Protocol, connect_tcp_with};

use crate::Task;
use crate::protocol::{Outcome, PoetryProtocol};

/// What to do with the poem.
type Callback = Box<dyn FnOnce(Vec<u8>)>;
/// What to do if there will be no poem.
type Errback = Box<dyn FnOnce(FetchError)>;

// ANCHOR: factory
/// Builds the protocol for one download, and calls the callback with the
/// poem, or the errback with the reason there is none.
pub struct PoetryClientFactory {
    task: Task,
    /// Both continuations, in one place: whichever is called takes the
    /// other with it, so only one can ever be called, and only once.
    next: RefCell<Option<(Callback, Errback)>>,
}

impl PoetryClientFactory {
    /// The download is over, one way or the other.
    fn poem_finished(&self, outcome: Outcome) {
        let Some((callback, errback)) = self.next.take() else {
            return;
        };
        match outcome {
            Ok(poem) => callback(poem),
            Err(error) => errback(error),
        }
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

// ANCHOR: get_poetry
/// Downloads a poem for `task`, then calls `callback` with it, or
/// `errback` with the reason there is none: exactly one of the two, once.
/// Returns at once: the download happens while the reactor runs. The
/// [`Connector`] it returns can give up on the download
/// ([`Connector::disconnect`]); the clients themselves ignore it.
pub fn get_poetry(
    reactor: &Reactor,
    task: &Task,
    callback: impl FnOnce(Vec<u8>) + 'static,
    errback: impl FnOnce(FetchError) + 'static,
) -> Connector {
    let factory = Rc::new(PoetryClientFactory {
        task: task.clone(),
        next: RefCell::new(Some((Box::new(callback), Box::new(errback)))),
    });
    connect_tcp_with(reactor, task.addr, factory, task.timeouts)
}
// ANCHOR_END: get_poetry
