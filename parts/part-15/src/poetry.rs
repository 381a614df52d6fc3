//! The series' fixture: a poetry server on a free port for each test, and
//! client 4.0's `get_poetry` to fetch from it.

use std::net::SocketAddr;

use part_02::Address;
use part_02::cli::Timeouts;
use part_05::Protocol;
use part_06::{PoetryProtocol, Printer, Task};
use part_07::{Deferred, deferred, succeed};
use part_11::{FastPoetryFactory, ListeningPort, listen_tcp};

use crate::fake::FakeConnection;
use crate::harness::{Fixture, Trial};

/// The poem the test server serves.
pub const TEST_POEM: &[u8] = b"This is a test.\nThis is only a test.\n";

// ANCHOR: server
/// A fast poetry server (part 11) listening on a port the system chose,
/// in the test's own reactor.
pub struct PoetryServer {
    port: ListeningPort,
}

impl Fixture for PoetryServer {
    fn set_up(t: &Trial) -> Deferred<PoetryServer> {
        let factory = FastPoetryFactory::new(TEST_POEM, part_11::report::quiet);
        match listen_tcp(t.reactor(), "127.0.0.1", 0, factory) {
            Ok(port) => succeed(PoetryServer { port }),
            Err(error) => part_07::fail(error),
        }
    }

    fn tear_down(&self, _t: &Trial) -> Deferred<()> {
        self.port.stop_listening();
        succeed(())
    }
}
// ANCHOR_END: server

impl PoetryServer {
    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.port.local_addr()
    }
}

/// Client 4.0's `get_poetry` for the poem at `addr`, printing nothing.
pub fn get_poetry(t: &Trial, addr: SocketAddr) -> Deferred<Vec<u8>> {
    let task = Task {
        number: 1,
        address: Address::from(addr),
        addr,
        printer: Printer::new(|_, _| {}),
        timeouts: Timeouts::default(),
    };
    part_08::get_poetry(t.reactor(), &task)
}

/// Client 4.0's protocol as its factory builds it (part 6's protocol,
/// whose outcome fires a deferred), for a connection from
/// [`FakeConnection::PEER`], printing its lines through `printer`: for
/// tests in memory.
pub fn poetry_protocol(printer: Printer) -> (Box<dyn Protocol>, Deferred<Vec<u8>>) {
    let task = Task {
        number: 1,
        address: Address::from(FakeConnection::PEER),
        addr: FakeConnection::PEER,
        printer,
        timeouts: Timeouts::default(),
    };
    let (poem, trigger) = deferred();
    let protocol = PoetryProtocol::new(task, move |outcome| {
        let _ = match outcome {
            Ok(poem) => trigger.callback(poem),
            Err(error) => trigger.errback(error),
        };
    });
    (Box::new(protocol), poem)
}
