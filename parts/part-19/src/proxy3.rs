//! Proxy 3.0: a client that hangs up before its poem arrives cancels the
//! download it was waiting for.
//!
//! Two changes to proxy 2.0, one on each side of the deferred:
//!
//! - **the protocol** ([`CancellingFactory`]) keeps a cancel handle for
//!   the deferred it was given, and cancels it when its connection is lost.
//!   Once the poem has been sent the deferred has fired, and the cancel
//!   does nothing.
//! - **the service** ([`ProxyService3`]) gives every client a deferred with
//!   a canceller. A download is shared by every client waiting for it (a
//!   [`Flight`]); a client's canceller takes that client off the flight,
//!   and when the last one is gone, cancels the download itself.
//!   `get_poetry`'s own canceller then closes the connection to the
//!   upstream server, which sends nothing more.

use std::cell::{Cell, RefCell};
use std::mem;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_01::timeline::format_secs;
use part_03::Disconnect;
use part_05::{Protocol, Transport};
use part_06::Printer;
use part_07::{CancelHandle, Deferred, Failure, Trigger, succeed};
use part_11::ServerFactory;
use part_14::server::deliver;
use part_14::{Poem, Upstream};

// ANCHOR: flight
/// One download, and the clients waiting for it.
pub struct Flight {
    /// Each waiting client's number and trigger.
    waiting: RefCell<Vec<(u64, Trigger<Poem>)>>,
    /// The download's cancel handle, once it has started.
    download: RefCell<Option<CancelHandle>>,
    /// Whether the download was cancelled (its failure is then no news).
    cancelled: Cell<bool>,
}
// ANCHOR_END: flight

/// Where proxy 3.0's service stands.
enum State {
    /// No poem, and no shared download under way.
    Empty,
    /// The shared download under way.
    Fetching(Rc<Flight>),
    /// The poem, and when it arrived.
    Cached { poem: Poem, since: Instant },
}

/// Proxy 3.0's service: proxy 2.0's cache and single-flight, with
/// downloads that stop when nobody wants them.
pub struct ProxyService3 {
    upstream: Upstream,
    state: RefCell<State>,
    max_age: Option<Duration>,
    single_flight: bool,
    next_client: Cell<u64>,
    downloads: Cell<usize>,
    cancelled: Cell<usize>,
    log: Printer,
}

impl ProxyService3 {
    /// A service with an empty cache, downloading from `upstream`; the
    /// options are proxy 2.0's.
    pub fn new(
        upstream: Upstream,
        max_age: Option<Duration>,
        single_flight: bool,
        log: Printer,
    ) -> Rc<ProxyService3> {
        Rc::new(ProxyService3 {
            upstream,
            state: RefCell::new(State::Empty),
            max_age,
            single_flight,
            next_client: Cell::new(0),
            downloads: Cell::new(0),
            cancelled: Cell::new(0),
            log,
        })
    }

    /// The poem, in a deferred that fires with the cached poem at once, or
    /// when the download it waits for ends. Cancelling it before then takes
    /// this client off the download (and stops the download if it was the
    /// last client).
    pub fn get_poem(self: &Rc<Self>) -> Deferred<Poem> {
        let mut state = self.state.borrow_mut();
        match &*state {
            State::Cached { poem, since } => match self.max_age {
                Some(max_age) if since.elapsed() > max_age => self.log.out(&format!(
                    "The cached poem is {} old; fetching it again.",
                    format_secs(since.elapsed())
                )),
                _ => {
                    self.log.out("Using cached poem.");
                    return succeed(Rc::clone(poem));
                }
            },
            State::Fetching(flight) if self.single_flight => {
                let flight = Rc::clone(flight);
                drop(state);
                self.log.out("Waiting for the download under way.");
                return self.board(&flight);
            }
            _ => self.log.out("Fetching poem from server."),
        }
        let flight = Rc::new(Flight {
            waiting: RefCell::default(),
            download: RefCell::default(),
            cancelled: Cell::new(false),
        });
        if self.single_flight {
            *state = State::Fetching(Rc::clone(&flight));
        }
        drop(state);
        let poem = self.board(&flight);
        self.take_off(&flight);
        poem
    }

    // ANCHOR: board
    /// A new client's deferred on `flight`, with a canceller that takes
    /// the client off again.
    fn board(self: &Rc<Self>, flight: &Rc<Flight>) -> Deferred<Poem> {
        let number = self.next_client.get();
        self.next_client.set(number + 1);
        let (service, on) = (Rc::clone(self), Rc::clone(flight));
        let (poem, trigger) = Deferred::with_canceller(move |_: &Trigger<Poem>| {
            service.leave(&on, number);
        });
        flight.waiting.borrow_mut().push((number, trigger));
        poem
    }

    /// Client `number` no longer wants the poem. If nobody on the flight
    /// does, the download is cancelled.
    fn leave(&self, flight: &Rc<Flight>, number: u64) {
        let nobody_left = {
            let mut waiting = flight.waiting.borrow_mut();
            waiting.retain(|(n, _)| *n != number);
            waiting.is_empty()
        };
        if !nobody_left {
            return;
        }
        let download = flight.download.borrow_mut().take();
        if let Some(download) = download {
            self.log.out("Canceling poem download.");
            flight.cancelled.set(true);
            self.cancelled.set(self.cancelled.get() + 1);
            download.cancel();
        }
    }
    // ANCHOR_END: board

    /// Starts the flight's download.
    fn take_off(self: &Rc<Self>, flight: &Rc<Flight>) {
        self.downloads.set(self.downloads.get() + 1);
        let download = self.upstream.fetch();
        let handle = download.cancel_handle();
        let (service, landed) = (Rc::clone(self), Rc::clone(flight));
        let _ = download.add_both(move |outcome: Result<Poem, Failure>| {
            service.landed(&landed, outcome);
        });
        // Unless it is over already, the download can now be cancelled.
        if !flight.waiting.borrow().is_empty() {
            *flight.download.borrow_mut() = Some(handle);
        }
    }

    /// The flight's download is over: move to the next state, then fire
    /// every waiting client's deferred.
    fn landed(&self, flight: &Rc<Flight>, outcome: Result<Poem, Failure>) {
        flight.download.borrow_mut().take();
        {
            let mut state = self.state.borrow_mut();
            let ours = matches!(&*state, State::Fetching(f) if Rc::ptr_eq(f, flight));
            match &outcome {
                Ok(poem) => {
                    *state = State::Cached {
                        poem: Rc::clone(poem),
                        since: Instant::now(),
                    }
                }
                Err(_) if ours => *state = State::Empty,
                Err(_) => {}
            }
        }
        if let Err(failure) = &outcome
            && !flight.cancelled.get()
        {
            self.log
                .err(&format!("The download failed: {}", failure.message()));
        }
        let waiting = mem::take(&mut *flight.waiting.borrow_mut());
        for (_, trigger) in waiting {
            let _ = trigger.fire(outcome.clone());
        }
    }

    /// How many downloads the service has started.
    pub fn downloads(&self) -> usize {
        self.downloads.get()
    }

    /// How many downloads it has cancelled.
    pub fn cancelled(&self) -> usize {
        self.cancelled.get()
    }
}

/// Proxy 3.0's server factory: every connection gets its poem from
/// `source`, and cancels it if the client hangs up first.
pub struct CancellingFactory {
    source: Box<dyn Fn() -> Deferred<Poem>>,
    log: Printer,
}

impl CancellingFactory {
    /// A factory whose connections ask `source` for the poem, logging to
    /// `log`.
    pub fn new(
        source: impl Fn() -> Deferred<Poem> + 'static,
        log: Printer,
    ) -> Rc<CancellingFactory> {
        Rc::new(CancellingFactory {
            source: Box::new(source),
            log,
        })
    }
}

impl ServerFactory for CancellingFactory {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        Box::new(CancellingProtocol {
            factory: self,
            peer,
            poem: None,
        })
    }
}

// ANCHOR: protocol
/// One client of proxy 3.0.
struct CancellingProtocol {
    factory: Rc<CancellingFactory>,
    peer: SocketAddr,
    /// The poem's deferred, to cancel if the client hangs up first.
    poem: Option<CancelHandle>,
}

impl Protocol for CancellingProtocol {
    fn connection_made(&mut self, transport: Transport) {
        let poem = (self.factory.source)();
        self.poem = Some(poem.cancel_handle());
        deliver(poem, transport, self.peer, &self.factory.log);
    }

    fn data_received(&mut self, _data: &[u8]) {}

    fn connection_lost(&mut self, _reason: Disconnect) {
        // Cancelling a deferred that has fired does nothing.
        if let Some(poem) = self.poem.take() {
            poem.cancel();
        }
    }
}
// ANCHOR_END: protocol
