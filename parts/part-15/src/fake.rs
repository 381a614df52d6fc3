//! A fake transport: a protocol connected to memory instead of a socket.
//!
//! A protocol never sees a socket, only its [`Transport`] and the three
//! calls a connection makes (part 5). So a test can be the connection:
//! call `connection_made` with a transport whose bytes go into a buffer,
//! call `data_received` with whatever bytes it likes, cut wherever it
//! likes, and read back what the protocol wrote. No port, no peer, no
//! waiting for the network: the test decides when each byte arrives
//! (Twisted's `StringTransport` does the same).

use std::cell::{Cell, RefCell};
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::rc::Rc;

use part_03::Disconnect;
use part_05::{Protocol, Transport, Wire};

/// The memory behind a fake transport: what was written, and whether the
/// protocol asked to hang up.
#[derive(Default)]
pub struct FakeWire {
    written: RefCell<Vec<u8>>,
    disconnecting: Cell<bool>,
    closed: Cell<bool>,
}

impl Wire for FakeWire {
    fn write(self: Rc<Self>, data: &[u8]) {
        if !self.disconnecting.get() && !self.closed.get() {
            self.written.borrow_mut().extend_from_slice(data);
        }
    }

    fn lose_connection(self: Rc<Self>) {
        self.disconnecting.set(true);
    }

    fn host(&self) -> io::Result<SocketAddr> {
        Ok(FakeConnection::HOST)
    }

    fn buffered(&self) -> usize {
        0 // everything "sent" at once
    }

    fn is_connected(&self) -> bool {
        !self.closed.get()
    }
}

// ANCHOR: fake
/// A protocol on a fake transport: feed it bytes, read what it wrote.
pub struct FakeConnection {
    wire: Rc<FakeWire>,
    protocol: Box<dyn Protocol>,
}

impl FakeConnection {
    /// The address a fake connection's peer has.
    pub const PEER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 40000);
    /// The address of a fake connection's own end.
    pub const HOST: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 10000);

    /// Connects `protocol` to memory: it is told `connection_made` now.
    pub fn open(mut protocol: Box<dyn Protocol>) -> FakeConnection {
        let wire = Rc::new(FakeWire::default());
        protocol.connection_made(Transport::new(&wire, FakeConnection::PEER));
        FakeConnection { wire, protocol }
    }

    /// The peer sends `data`: the protocol is told `data_received`.
    pub fn receive(&mut self, data: &[u8]) {
        self.protocol.data_received(data);
    }

    /// Everything the protocol has written so far.
    pub fn written(&self) -> Vec<u8> {
        self.wire.written.borrow().clone()
    }

    /// Whether the protocol asked to hang up (`lose_connection`).
    pub fn is_disconnecting(&self) -> bool {
        self.wire.disconnecting.get()
    }

    /// The connection ends (the peer hung up, or, after the protocol's own
    /// `lose_connection`, everything was sent): the protocol is told
    /// `connection_lost`. Only the first call counts.
    pub fn close(&mut self, reason: Disconnect) {
        if !self.wire.closed.replace(true) {
            self.protocol.connection_lost(reason);
        }
    }
}
// ANCHOR_END: fake
