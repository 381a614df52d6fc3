//! `client-2-simple`: the smallest client 2.0. A protocol that prints the
//! poem as it arrives, and a factory that stops the reactor when the
//! connection ends.
//!
//! ```text
//! cargo run -p part-05 --bin client-2-simple -- 10000
//! ```

use std::cell::Cell;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::cli::Timeouts;
use part_02::{Address, cli};
use part_03::{Disconnect, Reactor};
use part_05::{ClientFactory, Connector, Protocol, connect_tcp_with};

/// Prints one poem as it arrives from one poetry server.
#[derive(Debug, Parser)]
#[command(name = "client-2-simple", version)]
struct Args {
    /// The poetry server, as PORT or HOST:PORT (HOST defaults to 127.0.0.1).
    address: Address,
    #[command(flatten)]
    timeouts: Timeouts,
}

// ANCHOR: simple
/// Prints the poem's bytes as they come.
struct PoemPrinter;

impl Protocol for PoemPrinter {
    fn data_received(&mut self, data: &[u8]) {
        let mut out = io::stdout().lock();
        let _ = out.write_all(data).and_then(|()| out.flush());
    }
}

/// Makes the printer, and stops the reactor when the connection is over.
struct StopWhenDone {
    reactor: Reactor,
    failed: Cell<bool>,
}

impl ClientFactory for StopWhenDone {
    fn build_protocol(self: Rc<Self>, _addr: SocketAddr) -> Box<dyn Protocol> {
        Box::new(PoemPrinter)
    }

    fn client_connection_failed(&self, connector: &Connector, reason: io::Error) {
        eprintln!("error: cannot connect to {}: {reason}", connector.addr());
        self.failed.set(true);
        let _ = self.reactor.stop();
    }

    fn client_connection_lost(&self, _connector: &Connector, reason: Disconnect) {
        if let Disconnect::Lost(error) = reason {
            eprintln!("error: the poem was cut short: {error}");
            self.failed.set(true);
        }
        let _ = self.reactor.stop();
    }
}
// ANCHOR_END: simple

fn main() -> ExitCode {
    let args = Args::parse();
    let addr = match args.address.resolve() {
        Ok(addr) => addr,
        Err(error) => {
            return cli::fail(format_args!(
                "cannot resolve address {}: {error}",
                args.address
            ));
        }
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    // ANCHOR: simple_main
    let factory = Rc::new(StopWhenDone {
        reactor: reactor.clone(),
        failed: Cell::new(false),
    });
    connect_tcp_with(&reactor, addr, factory.clone(), args.timeouts);
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
