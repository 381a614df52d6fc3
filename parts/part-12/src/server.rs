//! The transformation server on our reactor: one protocol per connection,
//! reading one netstring request and answering with one netstring.
//!
//! The protocol is part 5's [`Protocol`], built by part 11's
//! [`ServerFactory`]. It keeps a [`netstring::Decoder`] between
//! `data_received` calls, so a request may arrive in any number of pieces.
//! Once one whole request is there it answers, or does not, and closes.
//!
//! What it does with clients that misbehave, each closed with a line
//! saying why ([`Closed`]), while everyone else is served:
//!
//! - bytes that are not a netstring (a bad length prefix, no `:`, no `,`
//!   after the payload): closed as soon as the parser can tell, usually
//!   within a few bytes;
//! - a length over the limit ([`ServerOptions::max_length`]), or a length
//!   prefix that never ends: closed when the prefix passes the limit, so
//!   the buffer never holds more than one request's worth of bytes (plus
//!   one read);
//! - a request that is not `NAME.POEM` in UTF-8, an unknown name, a
//!   transform that fails: closed without a reply, as in the series;
//! - a client that sends nothing, or trickles its request a byte at a time:
//!   closed when its time is up ([`ServerOptions::timeout`]). The clock
//!   starts when the client connects and is *not* restarted by each byte,
//!   so a byte a minute does not keep a connection open for ever. It is a
//!   timed call on the reactor (`call_later`), cancelled when the request
//!   is answered or the client hangs up.

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use part_01::timeline::format_secs;
use part_03::{DelayedCall, Disconnect, Reactor};
use part_05::{Protocol, Transport};
use part_11::ServerFactory;

use crate::netstring::{self, Decoder, NetstringError};
use crate::transform::{Request, RequestError, TransformError, Transforms};

/// How long a client has to send its whole request, unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a transformation server is told.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// The transforms it offers.
    pub transforms: Transforms,
    /// The longest request it accepts, in bytes (the netstring's payload).
    pub max_length: usize,
    /// How long a client has, from connecting, to send its whole request
    /// (`None`: as long as it likes; `--timeout 0`).
    pub timeout: Option<Duration>,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            transforms: Transforms::standard(),
            max_length: netstring::DEFAULT_MAX_LENGTH,
            timeout: Some(DEFAULT_TIMEOUT),
        }
    }
}

/// Why the server closed a connection without a reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Closed {
    /// The bytes are not a netstring, or one over the limit.
    #[error("{0}")]
    Malformed(#[from] NetstringError),
    /// The netstring is not a request.
    #[error("{0}")]
    BadRequest(#[from] RequestError),
    /// The transform is unknown, or failed.
    #[error("{0}")]
    Transform(#[from] TransformError),
    /// The client did not send a whole request in time.
    #[error("no whole request after {}", format_secs(*.0))]
    TimedOut(Duration),
}

/// Something the server did for one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A client connected.
    Accepted(SocketAddr),
    /// A request was answered.
    Transformed {
        /// The client.
        peer: SocketAddr,
        /// The transform.
        name: String,
        /// The reply's payload size.
        bytes: usize,
    },
    /// The server closed the connection without a reply.
    Closed {
        /// The client.
        peer: SocketAddr,
        /// Why.
        why: Closed,
    },
    /// The client went away before its request was whole.
    HungUp(SocketAddr),
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Accepted(peer) => write!(f, "{peer} connected"),
            Event::Transformed { peer, name, bytes } => {
                write!(f, "{peer}: {name}, {bytes} bytes; closing")
            }
            Event::Closed { peer, why } => write!(f, "{peer}: closing without a reply: {why}"),
            Event::HungUp(peer) => write!(f, "{peer} hung up before sending a whole request"),
        }
    }
}

/// Logs an event on standard output, one line each, in the server's log
/// ([`part_02::log`], which never blocks): what the server programs do.
pub fn print_event(event: Event) {
    part_02::log::out(event);
}

/// How a server reports.
pub type Reporter = Box<dyn FnMut(Event)>;

// ANCHOR: respond
/// What the server makes of one request's payload: the transform's name
/// and the poem to send back, or why there is no reply. Both servers, on
/// our reactor and on tokio, answer with this.
pub fn respond(transforms: &Transforms, payload: &[u8]) -> Result<(String, String), Closed> {
    let request = Request::parse(payload)?;
    let poem = transforms.apply(&request.name, &request.poem)?;
    Ok((request.name, poem))
}
// ANCHOR_END: respond

// ANCHOR: factory
/// What every connection of one transformation server shares: the
/// options, the reactor (for the time limit), and where events go.
pub struct TransformFactory {
    reactor: Reactor,
    options: ServerOptions,
    reporter: RefCell<Reporter>,
    answered: Cell<usize>,
}

impl ServerFactory for TransformFactory {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        let decoder = Decoder::new(self.options.max_length);
        Box::new(TransformProtocol {
            factory: self,
            peer,
            decoder,
            transport: None,
            deadline: None,
            finished: Rc::new(Cell::new(false)),
        })
    }
}
// ANCHOR_END: factory

impl TransformFactory {
    /// A factory for a server on `reactor`, telling `reporter` about every
    /// client.
    pub fn new(
        reactor: &Reactor,
        options: ServerOptions,
        reporter: impl FnMut(Event) + 'static,
    ) -> Rc<TransformFactory> {
        Rc::new(TransformFactory {
            reactor: reactor.clone(),
            options,
            reporter: RefCell::new(Box::new(reporter)),
            answered: Cell::new(0),
        })
    }

    /// How many requests were answered.
    pub fn answered(&self) -> usize {
        self.answered.get()
    }

    fn report(&self, event: Event) {
        (self.reporter.borrow_mut())(event);
    }
}

/// One client's connection.
pub struct TransformProtocol {
    factory: Rc<TransformFactory>,
    peer: SocketAddr,
    decoder: Decoder,
    transport: Option<Transport>,
    /// The timed call that closes a client out of time.
    deadline: Option<DelayedCall>,
    /// Whether the server has answered or closed (shared with the timer).
    finished: Rc<Cell<bool>>,
}

// ANCHOR: protocol
impl Protocol for TransformProtocol {
    fn connection_made(&mut self, transport: Transport) {
        self.factory.report(Event::Accepted(self.peer));
        self.transport = Some(transport.clone());
        // The clock starts now, and data does not restart it.
        let Some(timeout) = self.factory.options.timeout else {
            return; // no time limit
        };
        let (factory, peer) = (Rc::clone(&self.factory), self.peer);
        let (finished, to_close) = (Rc::clone(&self.finished), transport);
        self.deadline = Some(self.factory.reactor.call_later(timeout, move || {
            if !finished.replace(true) {
                let why = Closed::TimedOut(timeout);
                factory.report(Event::Closed { peer, why });
                to_close.lose_connection();
            }
        }));
    }

    fn data_received(&mut self, data: &[u8]) {
        if self.finished.get() {
            return; // answered already; the rest is ignored
        }
        self.decoder.push(data);
        match self.decoder.next_message() {
            Ok(None) => {} // not whole yet
            Ok(Some(payload)) => self.answer(&payload),
            Err(error) => self.close(error.into()),
        }
    }

    fn connection_lost(&mut self, _reason: Disconnect) {
        self.stop_the_clock();
        if !self.finished.replace(true) {
            self.factory.report(Event::HungUp(self.peer));
        }
    }
}
// ANCHOR_END: protocol

impl TransformProtocol {
    // ANCHOR: answer
    /// A whole request arrived: reply with the transformed poem, or close
    /// without a word.
    fn answer(&mut self, payload: &[u8]) {
        let (name, poem) = match respond(&self.factory.options.transforms, payload) {
            Ok(reply) => reply,
            Err(why) => return self.close(why),
        };
        self.finish();
        self.factory.answered.set(self.factory.answered.get() + 1);
        let bytes = poem.len();
        if let Some(transport) = &self.transport {
            transport.write(&netstring::encode(poem.as_bytes()));
            transport.lose_connection();
        }
        let peer = self.peer;
        self.factory
            .report(Event::Transformed { peer, name, bytes });
    }
    // ANCHOR_END: answer

    /// Closes the connection without a reply, saying why.
    fn close(&mut self, why: Closed) {
        self.finish();
        self.factory.report(Event::Closed {
            peer: self.peer,
            why,
        });
        if let Some(transport) = &self.transport {
            transport.lose_connection();
        }
    }

    fn finish(&mut self) {
        self.finished.set(true);
        self.stop_the_clock();
    }

    fn stop_the_clock(&mut self) {
        if let Some(deadline) = self.deadline.take()
            && deadline.active()
        {
            let _ = deadline.cancel();
        }
    }
}
