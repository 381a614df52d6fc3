//! `client-2-simple`: the smallest client 2.0. One factory for every
//! server; each connection's protocol collects its poem, and when the last
//! poem is in (or its server could not be reached) the factory prints them
//! all and stops the reactor.
//!
//! ```text
//! cargo run -p part-05 --bin client-2-simple -- 10000 10001 10002
//! ```

use std::cell::{Cell, RefCell};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::{ClientArgs, cli};
use part_03::{Disconnect, Reactor};
use part_05::{ClientFactory, Connector, Protocol, connect_tcp_with};

/// Downloads a poem from each poetry server and prints them all at the end.
#[derive(Debug, Parser)]
#[command(name = "client-2-simple", version)]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

// ANCHOR: simple
/// Collects one poem, and hands it to the factory when the connection ends.
struct PoetryProtocol {
    poem: Vec<u8>,
    factory: Rc<PoetryClientFactory>,
}

impl Protocol for PoetryProtocol {
    fn data_received(&mut self, data: &[u8]) {
        self.poem.extend_from_slice(data);
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        if let Disconnect::Lost(error) = reason {
            // Broken or silent for too long: no poem from this one.
            eprintln!("Lost the connection: {error}");
            self.factory.failed.set(true);
            return self.factory.poem_finished(None);
        }
        self.factory
            .poem_finished(Some(std::mem::take(&mut self.poem)));
    }
}

/// Makes a protocol per connection, counts the poems still to come, and
/// prints them all when the count reaches zero.
struct PoetryClientFactory {
    reactor: Reactor,
    poetry_count: Cell<usize>,
    poems: RefCell<Vec<Vec<u8>>>,
    failed: Cell<bool>,
}

impl PoetryClientFactory {
    fn poem_finished(&self, poem: Option<Vec<u8>>) {
        if let Some(poem) = poem {
            self.poems.borrow_mut().push(poem);
        }
        self.poetry_count.set(self.poetry_count.get() - 1);
        if self.poetry_count.get() == 0 {
            self.report();
            let _ = self.reactor.stop();
        }
    }

    fn report(&self) {
        let mut out = io::stdout().lock();
        for poem in self.poems.borrow().iter() {
            let _ = out.write_all(poem).and_then(|()| out.write_all(b"\n"));
        }
        let _ = out.flush();
    }
}

impl ClientFactory for PoetryClientFactory {
    fn build_protocol(self: Rc<Self>, _addr: SocketAddr) -> Box<dyn Protocol> {
        Box::new(PoetryProtocol {
            poem: Vec::new(),
            factory: self,
        })
    }

    fn client_connection_failed(&self, connector: &Connector, _reason: io::Error) {
        println!("Failed to connect to: {}", connector.addr());
        self.failed.set(true);
        self.poem_finished(None);
    }
}
// ANCHOR_END: simple

fn main() -> ExitCode {
    let args = Args::parse();
    let addrs = match args.client.resolve() {
        Ok(addrs) => addrs,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    // ANCHOR: simple_main
    let factory = Rc::new(PoetryClientFactory {
        reactor: reactor.clone(),
        poetry_count: Cell::new(addrs.len()),
        poems: RefCell::new(Vec::new()),
        failed: Cell::new(false),
    });
    for addr in addrs {
        connect_tcp_with(&reactor, addr, factory.clone(), args.client.timeouts);
    }
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    // ANCHOR_END: simple_main
    if factory.failed.get() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
