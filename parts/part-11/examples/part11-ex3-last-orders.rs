//! Part 11, exercise 3: last orders. A server that serves a fixed number of
//! clients and then shuts down cleanly.
//!
//! `LastOrders` wraps any server factory. Once it has built protocols for
//! `clients` connections it stops listening, so that later clients are
//! refused; the connections already open are served to their end, and when
//! the last of them ends it stops the reactor, and the program exits.
//!
//! ```text
//! cargo run -p part-11 --example part11-ex3-last-orders -- --clients 3 --port 10000 poetry/science.txt
//! ```

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::cli::ServerArgs;
use part_02::load_poem;
use part_03::{Disconnect, Reactor};
use part_05::{Protocol, Transport};
use part_11::program::{self, ServerError};
use part_11::{FastPoetryFactory, ListeningPort, ServerFactory, listen_tcp, print_event};

/// The fast poetry server, for CLIENTS clients only: then it stops
/// listening, finishes what it started, and exits.
#[derive(Debug, Parser)]
#[command(name = "part11-ex3-last-orders")]
struct Args {
    /// How many clients to serve before closing.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    clients: u32,
    #[command(flatten)]
    server: ServerArgs,
}

// ANCHOR: last_orders
/// Any server factory, for a limited number of connections.
pub struct LastOrders {
    inner: Rc<dyn ServerFactory>,
    reactor: Reactor,
    /// The port to close when the last order is taken (set once listening).
    port: RefCell<Option<ListeningPort>>,
    /// Connections still to accept.
    left: Cell<usize>,
    /// Connections open now.
    open: Cell<usize>,
}

impl ServerFactory for LastOrders {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        self.left.set(self.left.get().saturating_sub(1));
        self.open.set(self.open.get() + 1);
        if self.left.get() == 0
            && let Some(port) = self.port.borrow_mut().take()
        {
            println!("Last orders taken: no more clients.");
            port.stop_listening();
        }
        Box::new(Tracked {
            inner: Rc::clone(&self.inner).build_protocol(peer),
            orders: self,
        })
    }
}

/// The wrapped factory's protocol; its end may be the server's.
struct Tracked {
    inner: Box<dyn Protocol>,
    orders: Rc<LastOrders>,
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
        let orders = &self.orders;
        orders.open.set(orders.open.get() - 1);
        if orders.left.get() == 0 && orders.open.get() == 0 {
            println!("Everyone served: closing time.");
            let _ = orders.reactor.stop();
        }
    }
}
// ANCHOR_END: last_orders

impl LastOrders {
    /// `inner`, for `clients` connections, on `reactor`; call
    /// [`LastOrders::listen`] next.
    pub fn new(reactor: &Reactor, inner: Rc<dyn ServerFactory>, clients: usize) -> Rc<LastOrders> {
        Rc::new(LastOrders {
            inner,
            reactor: reactor.clone(),
            port: RefCell::new(None),
            left: Cell::new(clients),
            open: Cell::new(0),
        })
    }

    /// Starts listening, keeping the port to close it later.
    pub fn listen(self: &Rc<Self>, iface: &str, port: u16) -> std::io::Result<ListeningPort> {
        let listening = listen_tcp(&self.reactor, iface, port, self.clone())?;
        *self.port.borrow_mut() = Some(listening.clone());
        Ok(listening)
    }
}

fn main() -> ExitCode {
    program::exit(serve(&Args::parse()))
}

/// Serves the poem to `--clients` clients, then returns once the last of
/// them has been served.
fn serve(args: &Args) -> Result<(), ServerError> {
    let poem = load_poem(&args.server.poetry_file)?;
    let reactor = program::new_reactor()?;
    let fast = FastPoetryFactory::new(poem, print_event);
    let orders = LastOrders::new(&reactor, fast, args.clients as usize);
    let port = orders.listen(&args.server.iface, args.server.port)?;
    let terms = format!(", to {} clients", args.clients);
    program::say_where(args.server.poetry_file.display(), &port, terms);
    program::run(&reactor)
}
