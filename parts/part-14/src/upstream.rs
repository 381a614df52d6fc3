//! The proxy as a client: one download of the upstream server's poem, with
//! client 4.0's `get_poetry`.

use std::net::SocketAddr;
use std::rc::Rc;

use part_02::Address;
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::{Deferred, Failure};

/// A poem as the proxy keeps it: shared, so that every client (and the
/// cache) can hold it without a copy.
pub type Poem = Rc<[u8]>;

/// Why the proxy has no poem for its clients: the download from upstream
/// failed. Cloneable, so that every client waiting on one download can be
/// given its own failure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot get the poem from {upstream}: {reason}")]
pub struct UpstreamError {
    /// The upstream server, as the user wrote it.
    pub upstream: String,
    /// What went wrong.
    pub reason: String,
}

/// Where the poem comes from: the upstream server, and the reactor the
/// downloads run on.
#[derive(Clone, Debug)]
pub struct Upstream {
    reactor: Reactor,
    task: Task,
}

impl Upstream {
    /// The upstream server at `addr` (named `address` in log lines), on
    /// `reactor`.
    pub fn new(reactor: &Reactor, address: Address, addr: SocketAddr) -> Upstream {
        // The download's own chunk lines are not the proxy's business:
        // its task prints nothing.
        let printer = Printer::new(|_, _| {});
        Upstream {
            reactor: reactor.clone(),
            task: Task {
                number: 1,
                address,
                addr,
                printer,
            },
        }
    }

    /// The upstream server, as the user wrote it.
    pub fn address(&self) -> &Address {
        &self.task.address
    }

    // ANCHOR: fetch
    /// Starts one download, and returns a deferred that fires with the
    /// poem, or fails with an [`UpstreamError`].
    pub fn fetch(&self) -> Deferred<Poem> {
        let upstream = self.task.address.to_string();
        part_08::get_poetry(&self.reactor, &self.task).add_callbacks(
            |poem: Vec<u8>| Ok(Poem::from(poem)),
            move |failure: Failure| {
                Err(Failure::new(UpstreamError {
                    upstream,
                    reason: failure.message(),
                }))
            },
        )
    }
    // ANCHOR_END: fetch
}
