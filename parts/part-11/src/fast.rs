//! The fast poetry server: the whole poem at once, then goodbye.
//!
//! The series' first Twisted server, and the smallest server there is that
//! does something: a client connects, the protocol writes the poem to its
//! transport and asks for the connection to be closed. It never reads, and
//! never waits. The transport does the rest: it sends what the socket
//! takes, keeps what it does not, and closes once everything has left.

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::rc::Rc;

use part_03::Disconnect;
use part_05::{Protocol, Transport};

use crate::listen::ServerFactory;
use crate::report::{Event, Reporter};

// ANCHOR: protocol
/// One client's connection: send the poem, hang up.
pub struct FastPoetryProtocol {
    factory: Rc<FastPoetryFactory>,
    peer: SocketAddr,
}

impl Protocol for FastPoetryProtocol {
    fn connection_made(&mut self, transport: Transport) {
        self.factory.report(Event::Accepted(self.peer));
        // Shared, not copied: a client that reads slowly costs the server
        // a reference to the poem, not a copy of it.
        transport.write_shared(&self.factory.poem);
        // Not "close now": close once the poem has left.
        transport.lose_connection();
    }

    fn data_received(&mut self, _data: &[u8]) {
        // Clients have nothing to say to a poetry server; whatever they
        // send is read and dropped, so it cannot pile up.
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        let (to, total) = (self.peer, self.factory.poem.len());
        match reason {
            Disconnect::Done => {
                self.factory.served.set(self.factory.served.get() + 1);
                self.factory.report(Event::Finished { to, bytes: total });
            }
            lost => self.factory.report(Event::HungUp {
                to,
                sent: total,
                total,
                reason: &lost,
                cancelled: false,
            }),
        }
    }
}
// ANCHOR_END: protocol

// ANCHOR: factory
/// The program's side: the poem every connection serves, and a count.
pub struct FastPoetryFactory {
    poem: Rc<[u8]>,
    served: Cell<usize>,
    reporter: RefCell<Reporter>,
}

impl ServerFactory for FastPoetryFactory {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        Box::new(FastPoetryProtocol {
            factory: self,
            peer,
        })
    }
}
// ANCHOR_END: factory

impl FastPoetryFactory {
    /// A factory serving `poem`, telling `reporter` about every client.
    pub fn new(
        poem: impl Into<Rc<[u8]>>,
        reporter: impl FnMut(Event<'_>) + 'static,
    ) -> Rc<FastPoetryFactory> {
        Rc::new(FastPoetryFactory {
            poem: poem.into(),
            served: Cell::new(0),
            reporter: RefCell::new(Box::new(reporter)),
        })
    }

    /// How many clients were sent the whole poem (their connection closed
    /// normally).
    pub fn poems_served(&self) -> usize {
        self.served.get()
    }

    fn report(&self, event: Event<'_>) {
        (self.reporter.borrow_mut())(event);
    }
}
