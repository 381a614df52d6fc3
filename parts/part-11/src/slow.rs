//! The slow poetry server again, asynchronous this time: the series'
//! exercise for this part.
//!
//! Part 2's `slowpoetry` sends a chunk, *sleeps*, sends the next chunk. The
//! sleep is the problem: while it sleeps for one client, nobody else is
//! served, so clients queue up and are served one after another. On the
//! reactor nothing may sleep, so the pause becomes a timed call: send a
//! chunk, ask the reactor to call back in `delay`, return. Between chunks
//! the connection costs nothing but a timer in a queue, and the reactor is
//! free to serve everyone else.
//!
//! On the wire the two servers are the same: the same bytes, in chunks of
//! `num_bytes`, `delay` apart, the first at once, and a close after the
//! last. What differs is that this one does it for every client at once.
//!
//! Two details a server owes its users:
//!
//! - **A client that hangs up** mid-poem must not leave a timer behind
//!   that would write to a connection that is gone: `connection_lost`
//!   cancels the pending call and says so.
//! - **A client that does not read** must not make the server hoard its
//!   poem: before each chunk the sender looks at
//!   [`Transport::buffered`], and while the previous chunk is still
//!   waiting in the transport (the kernel's buffer for that socket is full)
//!   it sends nothing more, and looks again after the next delay. That is
//!   what the blocking server's `write_all` did by blocking, minus the
//!   blocking.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use part_02::{ServerOptions, ServerThread};
use part_03::{DelayedCall, Disconnect, Phase, Reactor};
use part_05::{Protocol, Transport};

use crate::listen::{ServerFactory, listen_on};
use crate::report::{Event, Reporter};

// ANCHOR: factory
/// The program's side: the poem, its pacing, the reactor to set timers
/// on, and how many clients are being served.
pub struct SlowPoetryFactory {
    reactor: Reactor,
    poem: Rc<[u8]>,
    options: ServerOptions,
    reporter: RefCell<Reporter>,
    active: Cell<usize>,
    served: Cell<usize>,
}

impl ServerFactory for SlowPoetryFactory {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        Box::new(SlowPoetryProtocol(Rc::new(Sender {
            factory: self,
            peer,
            transport: RefCell::new(None),
            sent: Cell::new(0),
            next: RefCell::new(None),
        })))
    }
}
// ANCHOR_END: factory

impl SlowPoetryFactory {
    /// A factory serving `poem` paced by `options`, with timers on
    /// `reactor`, telling `reporter` what it does.
    pub fn new(
        reactor: &Reactor,
        poem: impl Into<Rc<[u8]>>,
        options: ServerOptions,
        reporter: impl FnMut(Event<'_>) + 'static,
    ) -> Rc<SlowPoetryFactory> {
        Rc::new(SlowPoetryFactory {
            reactor: reactor.clone(),
            poem: poem.into(),
            options,
            reporter: RefCell::new(Box::new(reporter)),
            active: Cell::new(0),
            served: Cell::new(0),
        })
    }

    /// How many clients are being served right now.
    pub fn active(&self) -> usize {
        self.active.get()
    }

    /// How many clients were sent the whole poem.
    pub fn poems_served(&self) -> usize {
        self.served.get()
    }

    fn report(&self, event: Event<'_>) {
        (self.reporter.borrow_mut())(event);
    }
}

/// One client's connection. The work is done by its [`Sender`], which the
/// timers can reach (a protocol belongs to its connection, and a timer
/// cannot borrow it).
pub struct SlowPoetryProtocol(Rc<Sender>);

/// One client's progress through the poem.
struct Sender {
    factory: Rc<SlowPoetryFactory>,
    peer: SocketAddr,
    transport: RefCell<Option<Transport>>,
    /// How many bytes of the poem have gone to the transport.
    sent: Cell<usize>,
    /// The timed call that will send the next chunk, if one is due.
    next: RefCell<Option<DelayedCall>>,
}

// ANCHOR: protocol
impl Protocol for SlowPoetryProtocol {
    fn connection_made(&mut self, transport: Transport) {
        let factory = &self.0.factory;
        factory.active.set(factory.active.get() + 1);
        factory.report(Event::Accepted(self.0.peer));
        *self.0.transport.borrow_mut() = Some(transport);
        // The first chunk goes at once, as from the blocking server.
        self.0.send_next();
    }

    fn data_received(&mut self, _data: &[u8]) {
        // The blocking server never reads; this one reads and forgets.
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        let sender = &self.0;
        let factory = &sender.factory;
        factory.active.set(factory.active.get().saturating_sub(1));
        // Whatever happened, no chunk may follow: cancel the one due.
        let next = sender.next.borrow_mut().take();
        let cancelled = next.is_some_and(|call| call.cancel().is_ok());
        let (to, sent, total) = (sender.peer, sender.sent.get(), factory.poem.len());
        if sent == total && !cancelled && matches!(reason, Disconnect::Done) {
            factory.served.set(factory.served.get() + 1);
            factory.report(Event::Finished { to, bytes: sent });
        } else {
            factory.report(Event::HungUp {
                to,
                sent,
                total,
                reason: &reason,
                cancelled,
            });
        }
    }
}
// ANCHOR_END: protocol

// ANCHOR: send_next
impl Sender {
    /// Sends the next chunk, then either asks for the connection to be
    /// closed (that was the last one) or for a call back in `delay`.
    fn send_next(self: &Rc<Sender>) {
        let Some(transport) = self.transport.borrow().clone() else {
            return;
        };
        let factory = &self.factory;
        let (poem, options) = (&factory.poem, factory.options);
        // The last chunk is still waiting to go out: the client is not
        // reading. Add nothing to the pile; look again after the delay.
        if transport.buffered() > 0 {
            return self.call_again(options);
        }
        let start = self.sent.get();
        let end = (start + options.num_bytes.max(1)).min(poem.len());
        transport.write(&poem[start..end]);
        self.sent.set(end);
        factory.report(Event::Sent {
            to: self.peer,
            bytes: end - start,
        });
        if end == poem.len() {
            transport.lose_connection(); // connection_lost reports the end
        } else {
            self.call_again(options);
        }
    }

    /// Asks the reactor to call `send_next` after the delay. The call
    /// holds the sender weakly: once the connection is gone, so is the
    /// sender, and a call that somehow still ran would do nothing.
    fn call_again(self: &Rc<Sender>, options: ServerOptions) {
        let sender: Weak<Sender> = Rc::downgrade(self);
        let call = self.factory.reactor.call_later(options.delay, move || {
            if let Some(sender) = sender.upgrade() {
                sender.next.borrow_mut().take();
                sender.send_next();
            }
        });
        *self.next.borrow_mut() = Some(call);
    }
}
// ANCHOR_END: send_next

/// An asynchronous slow poetry server running on a thread of this process,
/// with a reactor of its own, on a free port of `127.0.0.1`: part 2's
/// [`SlowServer`](part_02::SlowServer), but serving every client at once.
/// For demos and tests; drop it to stop it (the shutdown signal stops the
/// reactor through its [`ReactorHandle`](part_03::ReactorHandle)).
#[derive(Debug)]
pub struct AsyncSlowServer {
    thread: ServerThread,
    served: Arc<AtomicUsize>,
}

impl AsyncSlowServer {
    /// Starts serving `poem` with the given pacing.
    pub fn spawn(poem: &'static [u8], options: ServerOptions) -> io::Result<AsyncSlowServer> {
        let listener = part_02::server::bind((Ipv4Addr::LOCALHOST, 0).into())?;
        let served = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&served);
        let thread =
            ServerThread::spawn("slowpoetry-async", listener, move |listener, shutdown| {
                let addr = listener.local_addr()?;
                let reactor = Reactor::new()?;
                let factory = SlowPoetryFactory::new(&reactor, poem, options, move |event| {
                    if let Event::Finished { .. } = event {
                        counted.fetch_add(1, Ordering::SeqCst);
                    }
                });
                let port = listen_on(&reactor, listener, factory)?;
                // On the way out, refuse new clients (the port\'s socket closes).
                reactor.add_shutdown_trigger(Phase::Before, move || port.stop_listening());
                let handle = reactor.handle();
                shutdown.on_trigger(move || {
                    let _ = handle.stop();
                });
                Ok(move || {
                    if let Err(error) = reactor.run() {
                        eprintln!("slowpoetry-async {addr}: the reactor failed: {error}");
                    }
                })
            })?;
        Ok(AsyncSlowServer { thread, served })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.thread.addr()
    }

    /// How many clients received the whole poem so far.
    pub fn poems_served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}
