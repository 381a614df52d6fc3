//! Client 3.0: `get_poetry(reactor, task, callback)`.
//!
//! The caller hands over one thing, a callback: what to do with the poem
//! once it has arrived. Connecting, the protocol and the factory are all
//! inside. The caller never sees them, and they never see the caller's
//! program: all they hold of it is the callback.
//!
//! That is also the trouble. When the download fails, there is nothing to
//! hand the failure to. The callback takes a poem, and there is none. The
//! code that called `get_poetry` returned long ago, so no error can be
//! returned to it, and a panic would only reach the reactor, which
//! reports it and carries on. So the factory does the only two things it
//! can: it prints the failure itself, and it lets go of the callback
//! without calling it. (In the series, client 3.0 simply hangs here. A
//! Rust program can at least notice that its callback was dropped, and
//! client 3.0 counts on that to end; but it learns *that* the poem will
//! not come, never *why*.)

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

// ANCHOR: factory
/// Builds the protocol for one download, and calls the callback with the
/// poem when it is complete.
pub struct PoetryClientFactory {
    task: Task,
    callback: RefCell<Option<Callback>>,
}

impl PoetryClientFactory {
    /// The download is over, one way or the other.
    fn poem_finished(&self, outcome: Outcome) {
        let Some(callback) = self.callback.take() else {
            return;
        };
        match outcome {
            Ok(poem) => callback(poem),
            Err(error) => {
                // Nobody to hand the error to: say it here, where it
                // happened, and let the callback go uncalled.
                self.task.report_failure(&error);
                drop(callback);
            }
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
/// Downloads a poem for `task` and calls `callback` with it once it has
/// arrived. Returns at once: the download happens while the reactor runs.
/// The [`Connector`] it returns can give up on the download
/// ([`Connector::disconnect`]); the clients themselves ignore it.
///
/// If the download fails, the failure is printed (through the task's
/// printer) and `callback` is dropped without being called.
pub fn get_poetry(
    reactor: &Reactor,
    task: &Task,
    callback: impl FnOnce(Vec<u8>) + 'static,
) -> Connector {
    let factory = Rc::new(PoetryClientFactory {
        task: task.clone(),
        callback: RefCell::new(Some(Box::new(callback))),
    });
    connect_tcp_with(reactor, task.addr, factory, task.timeouts)
}
// ANCHOR_END: get_poetry
