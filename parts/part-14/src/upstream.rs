//! The proxy as a client: one download of the upstream server's poem, with
//! client 4.0's `get_poetry`.

use std::net::SocketAddr;
use std::rc::Rc;

use part_02::Address;
use part_02::cli::Timeouts;
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
        Upstream::with_timeouts(reactor, address, addr, Timeouts::default())
    }

    /// The same, with a download giving up on the server as `timeouts`
    /// say (the proxy's `--upstream-timeout`).
    pub fn with_timeouts(
        reactor: &Reactor,
        address: Address,
        addr: SocketAddr,
        timeouts: Timeouts,
    ) -> Upstream {
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
                timeouts,
            },
        }
    }

    /// The upstream server, as the user wrote it.
    pub fn address(&self) -> &Address {
        &self.task.address
    }

    // ANCHOR: fetch
    /// Starts one download, and returns a deferred that fires with the
    /// poem, or fails with an [`UpstreamError`] (a download that brought
    /// nothing fails too: see [`whole_poem`]).
    pub fn fetch(&self) -> Deferred<Poem> {
        let upstream = self.task.address.to_string();
        part_08::get_poetry(&self.reactor, &self.task).add_both(
            move |outcome: Result<_, Failure>| {
                whole_poem(outcome.map_err(|failure| failure.message()))
                    .map_err(|reason| Failure::new(UpstreamError { upstream, reason }))
            },
        )
    }
    // ANCHOR_END: fetch
}

/// Judges a finished download, for every proxy (ours and tokio's): bytes
/// are a poem worth keeping; no bytes at all, or an error, are a failure
/// (the reason why).
///
/// An upstream server that accepts and closes at once, or hangs and then
/// dies, ends a download "normally" with nothing in it. Kept, that empty
/// poem would be served to every later client for as long as the cache
/// lasts, even after the real server is back. A failure is never cached:
/// the clients waiting for this download are closed, and the next request
/// tries again.
pub fn whole_poem(download: Result<Vec<u8>, String>) -> Result<Poem, String> {
    match download {
        Ok(bytes) if bytes.is_empty() => Err("the server sent nothing".to_string()),
        Ok(bytes) => Ok(Poem::from(bytes)),
        Err(reason) => Err(reason),
    }
}
