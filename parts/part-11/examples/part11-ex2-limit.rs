//! Part 11, exercise 2: at most N clients at once.
//!
//! `Limited` wraps any server factory. While fewer than `max` of its
//! connections are open, it hands new ones to the factory it wraps, and
//! counts them until they end; beyond that, a new client is closed at once,
//! without a poem. Here it wraps the slow poetry server, whose clients stay
//! a while.
//!
//! ```text
//! cargo run -p part-11 --example part11-ex2-limit -- --max-clients 2 --port 10000 poetry/ecstasy.txt
//! ```

use std::cell::Cell;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::cli::{PacingArgs, ServerArgs};
use part_02::load_poem;
use part_03::Disconnect;
use part_05::{Protocol, Transport};
use part_11::program::{self, ServerError};
use part_11::{ServerFactory, SlowPoetryFactory, listen_tcp, print_event};

/// The slow poetry server, serving at most MAX_CLIENTS clients at once;
/// more are closed at once, without a poem.
#[derive(Debug, Parser)]
#[command(name = "part11-ex2-limit")]
struct Args {
    /// How many clients may be served at the same time.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    max_clients: u32,
    #[command(flatten)]
    server: ServerArgs,
    #[command(flatten)]
    pacing: PacingArgs,
}

// ANCHOR: limit
/// Any server factory, with at most `max` connections open at a time.
pub struct Limited {
    inner: Rc<dyn ServerFactory>,
    max: usize,
    /// Connections open now; shared with their protocols, which count
    /// themselves out.
    open: Rc<Cell<usize>>,
    /// Clients turned away so far.
    pub turned_away: Cell<usize>,
}

impl ServerFactory for Limited {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        if self.open.get() >= self.max {
            self.turned_away.set(self.turned_away.get() + 1);
            println!("Too busy for {peer}: closing at once.");
            return Box::new(TurnAway);
        }
        self.open.set(self.open.get() + 1);
        Box::new(Counted {
            inner: Rc::clone(&self.inner).build_protocol(peer),
            open: Rc::clone(&self.open),
        })
    }
}

/// The wrapped factory's protocol, counted out when its connection ends.
struct Counted {
    inner: Box<dyn Protocol>,
    open: Rc<Cell<usize>>,
}

impl Protocol for Counted {
    fn connection_made(&mut self, transport: Transport) {
        self.inner.connection_made(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        self.inner.data_received(data);
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        self.open.set(self.open.get() - 1);
        self.inner.connection_lost(reason);
    }
}

/// The protocol of a client there is no room for: goodbye.
struct TurnAway;

impl Protocol for TurnAway {
    fn connection_made(&mut self, transport: Transport) {
        transport.lose_connection();
    }

    fn data_received(&mut self, _data: &[u8]) {}
}
// ANCHOR_END: limit

impl Limited {
    /// `inner`, limited to `max` connections at a time.
    pub fn new(inner: Rc<dyn ServerFactory>, max: usize) -> Rc<Limited> {
        Rc::new(Limited {
            inner,
            max,
            open: Rc::new(Cell::new(0)),
            turned_away: Cell::new(0),
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.get()
    }
}

fn main() -> ExitCode {
    program::exit(serve(&Args::parse()))
}

/// Serves the poem to at most `--max-clients` at once until the reactor
/// stops.
fn serve(args: &Args) -> Result<(), ServerError> {
    let poem = load_poem(&args.server.poetry_file)?;
    let reactor = program::new_reactor()?;
    let slow = SlowPoetryFactory::new(&reactor, poem, args.pacing.options(), print_event);
    let limited = Limited::new(slow, args.max_clients as usize);
    let port = listen_tcp(&reactor, &args.server.iface, args.server.port, limited)?;
    let terms = format!(", to at most {} clients at once", args.max_clients);
    program::say_where(args.server.poetry_file.display(), &port, terms);
    program::run(&reactor)
}
