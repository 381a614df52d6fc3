//! The proxy as a server: part 11's listening port, with a protocol that
//! asks for the poem and sends it when the deferred fires.
//!
//! The protocol does not know (or care) whether the poem was cached: it is
//! handed a deferred either way, adds its callbacks, and those run now
//! (cached) or later (downloaded). If the deferred fails, the client's
//! connection is closed without a poem and the reason is logged.

use std::net::SocketAddr;
use std::rc::Rc;

use part_03::Disconnect;
use part_05::{Protocol, Transport};
use part_06::Printer;
use part_07::{CancelHandle, CancelledError, Deferred, Failure};
use part_11::ServerFactory;

use crate::upstream::Poem;

/// How the protocol gets its poem: a function returning a deferred.
pub type PoemSource = Box<dyn Fn() -> Deferred<Poem>>;

/// The server factory of both reactor proxies: every connection gets the
/// poem from `source`.
pub struct ProxyFactory {
    source: PoemSource,
    log: Printer,
}

impl ProxyFactory {
    /// A factory whose connections ask `source` for the poem, logging to
    /// `log`.
    pub fn new(source: impl Fn() -> Deferred<Poem> + 'static, log: Printer) -> Rc<ProxyFactory> {
        Rc::new(ProxyFactory {
            source: Box::new(source),
            log,
        })
    }
}

impl ServerFactory for ProxyFactory {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        Box::new(ProxyProtocol {
            factory: self,
            peer,
            waiting: None,
        })
    }
}

// ANCHOR: protocol
/// One client of the proxy.
struct ProxyProtocol {
    factory: Rc<ProxyFactory>,
    peer: SocketAddr,
    /// The poem this client waits for: cancelled if the client leaves.
    waiting: Option<CancelHandle>,
}

impl Protocol for ProxyProtocol {
    fn connection_made(&mut self, transport: Transport) {
        let poem = (self.factory.source)();
        self.waiting = Some(deliver(poem, transport, self.peer, &self.factory.log));
    }

    fn data_received(&mut self, _data: &[u8]) {
        // Clients of a poetry server have nothing to say: dropped.
    }

    fn connection_lost(&mut self, _reason: Disconnect) {
        // A client that leaves releases what was held for it: its own
        // download (proxy 1.0), or its place among the waiting clients.
        if let Some(waiting) = self.waiting.take() {
            waiting.cancel();
        }
    }
}

/// Sends the poem to `peer` when `poem` fires and closes the connection;
/// if it fails, closes the connection without a poem and logs why. These
/// callbacks may run right here (a cached poem) or much later. Returns the
/// handle that cancels the wait, for when the client leaves first (the
/// failure is then logged as the hang-up it is).
pub fn deliver(
    poem: Deferred<Poem>,
    transport: Transport,
    peer: SocketAddr,
    log: &Printer,
) -> CancelHandle {
    let (log, failed, log_failure) = (log.clone(), transport.clone(), log.clone());
    let delivered = poem.add_callbacks(
        move |poem: Poem| {
            transport.write_shared(&poem);
            transport.lose_connection();
            log.out(&format!("Sending {} bytes to {peer}.", poem.len()));
        },
        move |failure: Failure| {
            if !failed.is_connected() || failure.check::<CancelledError>() {
                failed.lose_connection();
                return log_failure.out(&format!("{peer} hung up before its poem arrived."));
            }
            failed.lose_connection();
            log_failure.err(&format!(
                "Closing the connection to {peer}: {}",
                failure.message()
            ));
        },
    );
    delivered.cancel_handle()
}
// ANCHOR_END: protocol

/// The line every proxy prints once it listens.
pub fn proxying(port: u16, upstream: impl std::fmt::Display) -> String {
    format!("Proxying poetry on port {port} for the server at {upstream}.")
}
