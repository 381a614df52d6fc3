//! Part 11's poetry servers as services: a service that holds the poem,
//! and a service that listens, which counts the connections it serves in
//! a [`DeferredPool`] so that stopping can wait for them.
//!
//! The split follows the series. [`PoetryService`] knows where the poem
//! is and loads it when it starts; it knows nothing about sockets. A
//! [`TcpService`] listens when it starts, and makes its factory then, from
//! whatever the services started before it have ready: so in the tree the
//! poem comes first, and the port after it.
//!
//! Nothing here prints. What the servers did is logged with `tracing`:
//! the program that runs them (the runner, the demo) decides where the
//! lines go.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use part_02::{ServerOptions, load_poem};
use part_03::{Disconnect, Reactor};
use part_05::{Protocol, Transport};
use part_07::{Deferred, Failure, Trigger, deferred, succeed};
use part_11::{
    Event, FastPoetryFactory, ListeningPort, ServerFactory, SlowPoetryFactory, listen_tcp,
};

use crate::pool::DeferredPool;
use crate::service::{MultiService, Service, StartError};

// ANCHOR: poetry_service
/// Holds the poem: reads the file when it starts.
#[derive(Debug)]
pub struct PoetryService {
    path: PathBuf,
    poem: RefCell<Option<Rc<[u8]>>>,
}

impl PoetryService {
    /// A service for the poem in `path` (read when the service starts).
    pub fn new(path: impl Into<PathBuf>) -> Rc<PoetryService> {
        Rc::new(PoetryService {
            path: path.into(),
            poem: RefCell::new(None),
        })
    }

    /// The poem, once the service has started.
    pub fn poem(&self) -> Option<Rc<[u8]>> {
        self.poem.borrow().clone()
    }
}

impl Service for PoetryService {
    fn name(&self) -> &str {
        "poem"
    }

    fn start(&self) -> Result<(), StartError> {
        let poem = load_poem(&self.path)?;
        tracing::info!("loaded a poem from {}", self.path.display());
        *self.poem.borrow_mut() = Some(poem.into());
        Ok(())
    }

    fn stop(&self) -> Deferred<()> {
        succeed(())
    }
}
// ANCHOR_END: poetry_service

/// Makes a listening service's factory when it starts.
pub type MakeFactory = Box<dyn Fn() -> Result<Rc<dyn ServerFactory>, StartError>>;

/// Listens on a TCP port while it runs, serving each client with a
/// protocol from the factory it makes when it starts. Stopping closes the
/// port, then waits (up to a deadline) for the clients already connected.
pub struct TcpService {
    reactor: Reactor,
    iface: String,
    port: u16,
    make_factory: MakeFactory,
    deadline: Duration,
    listening: RefCell<Option<ListeningPort>>,
    in_flight: DeferredPool,
}

impl TcpService {
    /// A service that will listen on `iface`:`port` (0: any free port),
    /// waiting at most `deadline` for its clients when it stops.
    pub fn new(
        reactor: &Reactor,
        iface: impl Into<String>,
        port: u16,
        deadline: Duration,
        make_factory: MakeFactory,
    ) -> Rc<TcpService> {
        Rc::new(TcpService {
            reactor: reactor.clone(),
            iface: iface.into(),
            port,
            make_factory,
            deadline,
            listening: RefCell::new(None),
            in_flight: DeferredPool::new(),
        })
    }

    /// Where the service listens, while it does.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listening
            .borrow()
            .as_ref()
            .map(ListeningPort::local_addr)
    }

    /// The connections being served now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }
}

// ANCHOR: tcp_service
impl Service for TcpService {
    fn name(&self) -> &str {
        "tcp"
    }

    fn start(&self) -> Result<(), StartError> {
        let factory = Rc::new(Tracking {
            inner: (self.make_factory)()?,
            pool: self.in_flight.clone(),
        });
        let port = listen_tcp(&self.reactor, &self.iface, self.port, factory)?;
        tracing::info!("listening on port {}", port.local_addr().port());
        *self.listening.borrow_mut() = Some(port);
        Ok(())
    }

    fn stop(&self) -> Deferred<()> {
        if let Some(port) = self.listening.borrow_mut().take() {
            port.stop_listening(); // no new clients from now on
            tracing::info!("port {} closed", port.local_addr().port());
        }
        let waiting = self.in_flight.len();
        if waiting > 0 {
            tracing::info!("waiting for {waiting} client(s) to be served");
        }
        let deadline = self.deadline;
        let pool = self.in_flight.clone();
        self.in_flight
            .wait_empty(&self.reactor, deadline)
            .add_errback(move |failure: Failure| {
                tracing::warn!("gave up on {} client(s): {failure}", pool.len());
                Ok(())
            })
    }
}
// ANCHOR_END: tcp_service

// ANCHOR: tracking
/// Wraps a factory so that every connection it serves is a deferred in
/// the pool, fired when the connection ends.
struct Tracking {
    inner: Rc<dyn ServerFactory>,
    pool: DeferredPool,
}

impl ServerFactory for Tracking {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        let (done, trigger) = deferred::<()>();
        drop(self.pool.add(done));
        Box::new(Tracked {
            inner: Rc::clone(&self.inner).build_protocol(peer),
            done: Some(trigger),
        })
    }

    fn accept_failed(&self, error: &std::io::Error, paused: Option<Duration>) {
        tracing::warn!("cannot accept a connection: {error} (paused: {paused:?})");
    }
}

/// A connection's protocol, and the trigger that takes it out of the pool.
struct Tracked {
    inner: Box<dyn Protocol>,
    done: Option<Trigger<()>>,
}

impl Protocol for Tracked {
    fn connection_made(&mut self, transport: Transport) {
        self.inner.connection_made(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        self.inner.data_received(data);
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        self.inner.connection_lost(reason);
        if let Some(done) = self.done.take() {
            let _ = done.callback(());
        }
    }
}

impl Drop for Tracked {
    /// A connection that never opened (it was reset before we got to it)
    /// is dropped without `connection_lost`: it is out of the pool too.
    fn drop(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.callback(());
        }
    }
}
// ANCHOR_END: tracking

// ANCHOR: log_event
/// Logs what a poetry server did, where part 11's programs printed it.
pub fn log_event(event: Event<'_>) {
    match event {
        Event::Accepted(peer) => tracing::info!("{peer} wants poetry"),
        Event::Sent { to, bytes } => tracing::debug!("sent {bytes} bytes to {to}"),
        Event::Finished { to, bytes } => tracing::info!("sent {bytes} bytes of poetry to {to}"),
        Event::HungUp {
            to,
            sent,
            total,
            reason,
            ..
        } => tracing::warn!("{to} hung up with {sent} of {total} bytes sent ({reason})"),
    }
}
// ANCHOR_END: log_event

// ANCHOR: tree
/// A poetry server as a tree of services: the poem, then a port whose
/// factory `serve` makes from the poem once it is loaded.
pub struct PoetryTree {
    /// The tree's root: start and stop this one.
    pub top: Rc<MultiService>,
    /// The listening service, for asking where it listens.
    pub tcp: Rc<TcpService>,
}

/// Builds a [`PoetryTree`] called `name`. Nothing is loaded and nothing
/// listens until it is started.
pub fn poetry_tree(
    reactor: &Reactor,
    name: &str,
    poem: impl Into<PathBuf>,
    (iface, port): (&str, u16),
    deadline: Duration,
    serve: impl Fn(Rc<[u8]>) -> Rc<dyn ServerFactory> + 'static,
) -> Result<PoetryTree, StartError> {
    let top = MultiService::new(name);
    let poetry = PoetryService::new(poem);
    top.add(poetry.clone())?;
    let make_factory: MakeFactory = Box::new(move || {
        let poem = poetry.poem().ok_or("the poem is not loaded")?;
        Ok(serve(poem))
    });
    let tcp = TcpService::new(reactor, iface, port, deadline, make_factory);
    top.add(tcp.clone())?;
    Ok(PoetryTree { top, tcp })
}
// ANCHOR_END: tree

// ANCHOR: fastpoetry
/// Part 11's fast poetry server as a tree: the poem, then the port.
pub fn fastpoetry_service(
    reactor: &Reactor,
    poem: impl Into<PathBuf>,
    (iface, port): (&str, u16),
    deadline: Duration,
) -> Result<Rc<dyn Service>, StartError> {
    let tree = poetry_tree(
        reactor,
        "fastpoetry",
        poem,
        (iface, port),
        deadline,
        |poem| FastPoetryFactory::new(poem, log_event),
    )?;
    Ok(tree.top)
}
// ANCHOR_END: fastpoetry

/// Part 11's asynchronous slow poetry server as a tree: the poem, then a
/// port that sends it `options.num_bytes` every `options.delay`.
pub fn slowpoetry_service(
    reactor: &Reactor,
    poem: impl Into<PathBuf>,
    (iface, port): (&str, u16),
    options: ServerOptions,
    deadline: Duration,
) -> Result<PoetryTree, StartError> {
    let timers = reactor.clone();
    poetry_tree(
        reactor,
        "slowpoetry",
        poem,
        (iface, port),
        deadline,
        move |poem| SlowPoetryFactory::new(&timers, poem, options, log_event),
    )
}
