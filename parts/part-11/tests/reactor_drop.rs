//! A listening port and the connections it accepted belong to the reactor:
//! dropping the reactor (and the port's handle) closes all of them, instead
//! of leaving them and the reactor keeping each other alive.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_03::{BackendKind, Clock, Reactor};
use part_05::{Protocol, Transport};
use part_11::{ServerFactory, listen_tcp};

/// Holds every connection open: says nothing, never hangs up.
struct Holding;

impl Protocol for Holding {
    fn connection_made(&mut self, _transport: Transport) {}
    fn data_received(&mut self, _data: &[u8]) {}
}

struct HoldAll;

impl ServerFactory for HoldAll {
    fn build_protocol(self: Rc<Self>, _peer: std::net::SocketAddr) -> Box<dyn Protocol> {
        Box::new(Holding)
    }
}

#[test]
fn dropping_the_reactor_closes_the_port_and_its_connections() {
    for backend in [BackendKind::Mio, BackendKind::Poll] {
        let reactor = Reactor::with(backend, Clock::real()).unwrap();
        let port = listen_tcp(&reactor, "127.0.0.1", 0, Rc::new(HoldAll)).unwrap();
        let addr = port.local_addr();
        let mut client = TcpStream::connect(addr).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        // Turn the reactor until the port has accepted the client.
        let deadline = Instant::now() + Duration::from_secs(10);
        while port.accepted() == 0 {
            assert!(Instant::now() < deadline, "{backend:?}: never accepted");
            let again = reactor.clone();
            reactor.call_later(Duration::from_millis(1), move || again.stop());
            reactor.run().unwrap();
        }
        drop(port);
        drop(reactor);
        let mut byte = [0];
        let read = client.read(&mut byte);
        assert!(
            matches!(read, Ok(0)),
            "{backend:?}: the accepted connection should be closed: {read:?}"
        );
        let refused = TcpStream::connect(addr).map(|_| ()).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::ConnectionRefused, "{backend:?}");
    }
}
