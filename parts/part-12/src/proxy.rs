//! The client side: a [`TransformProxy`] stands for a transformation
//! server, and its [`xform`](TransformProxy::xform) returns a deferred.
//!
//! To the program a transform is one call that takes a poem and, later,
//! gives a poem back or fails, like `get_poetry`. Behind it is a
//! connection: connect, send one netstring, read one netstring, done. A
//! server that closes without a reply (an unknown transform, a failed
//! one), a server that is down, a reply that is not a netstring: each is a
//! [`ProxyError`] on the deferred's errback side.

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use part_02::cli::Timeouts;
use part_03::{Disconnect, Reactor};
use part_05::{ClientFactory, Connector, Protocol, Transport, connect_tcp_with};
use part_07::{Deferred, Trigger};

use crate::netstring::{self, Decoder, NetstringError};
use crate::transform::Request;

/// Why a transform gave no poem back.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The transformation server could not be reached.
    #[error("cannot connect to the transformation server: {0}")]
    Connect(io::Error),
    /// The server closed the connection without replying: the transform
    /// is unknown to it, or failed.
    #[error("the transformation server closed the connection without a reply")]
    NoReply,
    /// The connection broke.
    #[error("the connection to the transformation server was lost: {0}")]
    Lost(io::Error),
    /// The reply is not a netstring.
    #[error("the reply is not a netstring: {0}")]
    Malformed(#[from] NetstringError),
    /// The reply is not UTF-8 text.
    #[error("the reply is not UTF-8 text: {0}")]
    NotUtf8(#[from] std::string::FromUtf8Error),
}

/// The trigger one transform fires, shared by its factory and protocol:
/// taken out before firing, so it fires once.
type Pending = Rc<RefCell<Option<Trigger<String>>>>;

fn fire(pending: &Pending, outcome: Result<String, ProxyError>) {
    if let Some(trigger) = pending.take() {
        let _ = match outcome {
            Ok(poem) => trigger.callback(poem),
            Err(error) => trigger.errback(error),
        };
    }
}

// ANCHOR: proxy
/// A transformation server, as the client sees it.
#[derive(Clone, Debug)]
pub struct TransformProxy {
    reactor: Reactor,
    addr: SocketAddr,
    timeouts: Timeouts,
}

impl TransformProxy {
    /// A proxy for the server at `addr`, connecting on `reactor`.
    pub fn new(reactor: &Reactor, addr: SocketAddr) -> TransformProxy {
        TransformProxy {
            reactor: reactor.clone(),
            addr,
            timeouts: Timeouts::default(),
        }
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Asks the server to apply the transform `name` to `poem`. Returns at
    /// once; the deferred fires, while the reactor runs, with the
    /// transformed poem or a [`ProxyError`]. Cancelling it before then
    /// hangs up (and it fails with `CancelledError`).
    pub fn xform(&self, name: &str, poem: &str) -> Deferred<String> {
        let connection: Rc<RefCell<Option<(Pending, Connector)>>> = Rc::default();
        let to_stop = Rc::clone(&connection);
        let (deferred, trigger) = Deferred::with_canceller(move |_trigger| {
            if let Some((pending, connector)) = to_stop.take() {
                drop(pending.take()); // nothing fires it from now on
                connector.disconnect();
            }
        });
        let pending: Pending = Rc::new(RefCell::new(Some(trigger)));
        let factory = Rc::new(TransformClientFactory {
            request: Request::encode(name, poem),
            pending: Rc::clone(&pending),
        });
        let connector = connect_tcp_with(&self.reactor, self.addr, factory, self.timeouts);
        *connection.borrow_mut() = Some((pending, connector));
        deferred
    }
}
// ANCHOR_END: proxy

impl TransformProxy {
    /// The same proxy, waiting for the server no longer than `timeouts`
    /// say (the program's `--connect-timeout` and `--idle-timeout`).
    pub fn with_timeouts(self, timeouts: Timeouts) -> TransformProxy {
        TransformProxy { timeouts, ..self }
    }
}

/// Builds the protocol of one transform, and fails it if the server
/// cannot be reached.
struct TransformClientFactory {
    request: Vec<u8>,
    pending: Pending,
}

impl ClientFactory for TransformClientFactory {
    fn build_protocol(self: Rc<Self>, _addr: SocketAddr) -> Box<dyn Protocol> {
        Box::new(TransformClientProtocol {
            request: self.request.clone(),
            pending: Rc::clone(&self.pending),
            // The reply is a poem: the server's limit is ours.
            decoder: Decoder::new(netstring::DEFAULT_MAX_LENGTH),
            transport: None,
        })
    }

    fn client_connection_failed(&self, _connector: &Connector, reason: io::Error) {
        fire(&self.pending, Err(ProxyError::Connect(reason)));
    }
}

// ANCHOR: client_protocol
/// One transform's connection: send the request, wait for the reply.
struct TransformClientProtocol {
    request: Vec<u8>,
    pending: Pending,
    decoder: Decoder,
    transport: Option<Transport>,
}

impl Protocol for TransformClientProtocol {
    fn connection_made(&mut self, transport: Transport) {
        transport.write(&self.request);
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        self.decoder.push(data);
        let outcome = match self.decoder.next_message() {
            Ok(None) => return, // more to come
            Ok(Some(reply)) => String::from_utf8(reply).map_err(ProxyError::from),
            Err(error) => Err(error.into()),
        };
        if let Some(transport) = &self.transport {
            transport.lose_connection();
        }
        fire(&self.pending, outcome);
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        // Still pending: the server hung up before a whole reply.
        let error = match reason {
            Disconnect::Done => ProxyError::NoReply,
            Disconnect::Lost(error) => ProxyError::Lost(error),
        };
        fire(&self.pending, Err(error));
    }
}
// ANCHOR_END: client_protocol
