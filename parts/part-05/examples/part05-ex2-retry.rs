//! Part 5, exercise 2: a factory that tries a refused connection once more.
//!
//! `RetryOnce` wraps client 2.0's own factory and passes everything on to
//! it, except the first failure of each connection: then it waits a little
//! and calls `connector.connect()` again. Only a second failure reaches
//! client 2.0, which reports it as usual.
//!
//! ```text
//! cargo run -p part-05 --example part05-ex2-retry -- --retry-ms 500 10000 10001
//! ```

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::{ClientArgs, cli, format_duration};
use part_03::{Disconnect, Reactor, ReactorError};
use part_05::client::{self, Event, Outcome, PoetryClientFactory};
use part_05::{ClientFactory, Connector, Protocol, connect_tcp};

/// Client 2.0, trying every refused connection a second time.
#[derive(Debug, Parser)]
#[command(name = "part05-ex2-retry")]
struct Args {
    /// Milliseconds to wait before the second try.
    #[arg(long, default_value_t = 500)]
    retry_ms: u64,
    #[command(flatten)]
    client: ClientArgs,
}

// ANCHOR: retry
/// Client 2.0's factory, with one more try for a connection that failed.
pub struct RetryOnce {
    inner: Rc<PoetryClientFactory>,
    reactor: Reactor,
    wait: Duration,
    /// The addresses tried a second time, in order.
    retried: RefCell<Vec<SocketAddr>>,
}

impl ClientFactory for RetryOnce {
    fn build_protocol(self: Rc<Self>, addr: SocketAddr) -> Box<dyn Protocol> {
        Rc::clone(&self.inner).build_protocol(addr)
    }

    fn client_connection_failed(&self, connector: &Connector, reason: io::Error) {
        if connector.attempts() > 1 {
            return self.inner.client_connection_failed(connector, reason);
        }
        eprintln!(
            "Cannot connect to {} ({reason}); trying again in {}",
            connector.addr(),
            format_duration(self.wait)
        );
        self.retried.borrow_mut().push(connector.addr());
        let connector = connector.clone();
        self.reactor
            .call_later(self.wait, move || connector.connect());
    }

    fn client_connection_lost(&self, connector: &Connector, reason: Disconnect) {
        self.inner.client_connection_lost(connector, reason);
    }
}
// ANCHOR_END: retry

/// Client 2.0 with one retry per refused connection, reporting as it goes.
/// Returns each task's outcome, in order, and the addresses that needed a
/// second try.
pub fn get_poetry(
    reactor: &Reactor,
    sockets: &[SocketAddr],
    wait: Duration,
    reporter: impl FnMut(Event<'_>) + 'static,
) -> Result<(Vec<Outcome>, Vec<SocketAddr>), ReactorError> {
    let factory = Rc::new(RetryOnce {
        inner: PoetryClientFactory::new(reactor, sockets, reporter),
        reactor: reactor.clone(),
        wait,
        retried: RefCell::new(Vec::new()),
    });
    for &addr in sockets {
        connect_tcp(reactor, addr, factory.clone());
    }
    if !sockets.is_empty() {
        reactor.run()?;
    }
    Ok((factory.inner.results(), factory.retried.take()))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sockets = match args.client.resolve() {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let addresses = args.client.addresses;
    let start = Instant::now();
    let wait = Duration::from_millis(args.retry_ms);
    let printer = move |event: Event<'_>| client::print_event(&addresses, event);
    match get_poetry(&reactor, &sockets, wait, printer) {
        Ok((outcomes, _)) => client::print_summary(&outcomes, start.elapsed()),
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}
