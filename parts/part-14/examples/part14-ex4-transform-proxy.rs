//! Exercise 4 of part 14: a transformation proxy. A server that speaks the
//! transformation protocol of part 12 (one netstring request, one
//! netstring reply) but transforms nothing itself: it asks another
//! transformation server, and answers with what that one said. A request
//! it cannot answer (a malformed one, or one the other server refuses) is
//! closed without a reply, as part 12's server does.
//!
//! ```text
//! cargo run -p part-12 --bin transformedpoetry -- --port 11000
//! cargo run -p part-14 --example part14-ex4-transform-proxy -- --port 11001 11000
//! cargo run -p part-12 --bin transform-test -- 11001
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::{Address, cli};
use part_03::Reactor;
use part_05::{Protocol, Transport};
use part_07::{Deferred, Failure, maybe_deferred};
use part_11::{ServerFactory, listen_tcp};
use part_12::netstring::{self, DEFAULT_MAX_LENGTH, Decoder};
use part_12::{Request, TransformProxy};

/// A transformation server that forwards every request to another one.
#[derive(Debug, Parser)]
#[command(name = "part14-ex4-transform-proxy")]
struct Args {
    /// The port to listen on [default: a free port, printed].
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The interface to listen on.
    #[arg(long, default_value = "localhost")]
    iface: String,
    /// The transformation server to ask, as PORT or HOST:PORT.
    upstream: Address,
}

// ANCHOR: service
/// The proxy's transform service: where part 12's service transformed the
/// poem on the spot, this one asks a transformation server, so its answer
/// comes later, in a deferred.
pub struct ProxyService {
    upstream: TransformProxy,
}

impl ProxyService {
    /// A service asking the transformation server at `upstream`.
    pub fn new(reactor: &Reactor, upstream: SocketAddr) -> ProxyService {
        ProxyService {
            upstream: TransformProxy::new(reactor, upstream),
        }
    }

    /// Applies the transform `name` to `poem`, by asking upstream.
    pub fn xform(&self, name: &str, poem: &str) -> Deferred<String> {
        self.upstream.xform(name, poem)
    }
}
// ANCHOR_END: service

// ANCHOR: protocol
/// One client of the proxy: reads its request, and replies when the
/// service's deferred fires.
pub struct ProxyProtocol {
    service: Rc<ProxyService>,
    decoder: Decoder,
    transport: Option<Transport>,
    answering: bool,
}

impl Protocol for ProxyProtocol {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        let Some(transport) = self.transport.clone().filter(|_| !self.answering) else {
            return; // the request is in already; the rest is ignored
        };
        self.decoder.push(data);
        match self.decoder.next_message() {
            Ok(None) => {} // not whole yet
            Ok(Some(payload)) => {
                self.answering = true;
                self.answer(&payload, transport);
            }
            Err(_) => transport.lose_connection(),
        }
    }
}

impl ProxyProtocol {
    /// Asks the service, and replies when its deferred fires: with the
    /// transformed poem, or by closing the connection.
    fn answer(&self, payload: &[u8], transport: Transport) {
        let Ok(request) = Request::parse(payload) else {
            return transport.lose_connection();
        };
        let service = Rc::clone(&self.service);
        let to_close = transport.clone();
        // `maybe_deferred`: a service that answered at once (or panicked)
        // would be handled the same way as this one, which answers later.
        let _ = maybe_deferred(move || service.xform(&request.name, &request.poem)).add_callbacks(
            move |poem: String| {
                transport.write(&netstring::encode(poem.as_bytes()));
                transport.lose_connection();
            },
            move |_: Failure| to_close.lose_connection(),
        );
    }
}

/// Makes a protocol per client, all sharing the service.
pub struct ProxyFactory {
    /// The service every client's request goes to.
    pub service: Rc<ProxyService>,
}

impl ServerFactory for ProxyFactory {
    fn build_protocol(self: Rc<Self>, _peer: SocketAddr) -> Box<dyn Protocol> {
        Box::new(ProxyProtocol {
            service: Rc::clone(&self.service),
            decoder: Decoder::new(DEFAULT_MAX_LENGTH),
            transport: None,
            answering: false,
        })
    }
}
// ANCHOR_END: protocol

fn main() -> ExitCode {
    let args = Args::parse();
    let upstream = match args.upstream.resolve() {
        Ok(addr) => addr,
        Err(error) => {
            return cli::fail(format_args!(
                "cannot resolve address {}: {error}",
                args.upstream
            ));
        }
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let service = Rc::new(ProxyService::new(&reactor, upstream));
    let factory = Rc::new(ProxyFactory { service });
    let port = match listen_tcp(&reactor, &args.iface, args.port, factory) {
        Ok(port) => port,
        Err(error) => return cli::fail(format_args!("cannot listen: {error}")),
    };
    println!(
        "Proxying transforms on {} to {upstream}.",
        port.local_addr()
    );
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    ExitCode::SUCCESS
}
