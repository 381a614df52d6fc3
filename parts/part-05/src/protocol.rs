//! Protocols and the factories that make them.
//!
//! A [`Protocol`] is the part of a program that knows what the bytes on one
//! connection *mean*. It never touches a socket: it is told when the
//! connection is made (and given a [`Transport`] to write with), when bytes
//! arrive, and when the connection ends. Because it knows nothing about
//! sockets, the same protocol works over any transport that calls those
//! three methods, and can be tested by calling them by hand.
//!
//! A [`ClientFactory`] is the part that knows about the *program*: it builds
//! one protocol per connection, hears whether each connection could be made,
//! and holds whatever the connections share (a count of poems, the place to
//! put them, when to stop).

use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use part_03::Disconnect;

use crate::{Connector, Transport};

// ANCHOR: protocol
/// What one connection means: the reactor's events, in a protocol's words.
///
/// The connection calls these, always in this order: `connection_made`
/// once, `data_received` any number of times, `connection_lost` once.
pub trait Protocol {
    /// The connection is open. `transport` is how the protocol writes and
    /// hangs up; keep it if you need it later (it is a cheap handle).
    fn connection_made(&mut self, transport: Transport) {
        let _ = transport;
    }

    /// Bytes arrived, in order. How they are cut into calls says nothing
    /// about the protocol's own messages: a message may arrive in pieces,
    /// and one call may hold several.
    fn data_received(&mut self, data: &[u8]);

    /// The connection is over: `Disconnect::Done` if it was closed cleanly
    /// (by the other side, or by [`Transport::lose_connection`]),
    /// `Disconnect::Lost` if it broke.
    fn connection_lost(&mut self, reason: Disconnect) {
        let _ = reason;
    }
}
// ANCHOR_END: protocol

// ANCHOR: factory
/// What a client program knows about its connections: how to make a
/// protocol for each, and what to do when one cannot be made or ends.
///
/// A factory is shared by all the connections it serves (an `Rc`), so its
/// methods take `&self`, and it keeps what changes in `Cell`s and
/// `RefCell`s. That makes it safe for a callback to re-enter: a protocol can
/// call its factory from inside `data_received`, and a factory can start a
/// new connection from inside `client_connection_failed`, without a
/// `RefCell` being borrowed twice.
pub trait ClientFactory {
    /// A connection attempt is starting.
    fn started_connecting(&self, connector: &Connector) {
        let _ = connector;
    }

    /// The connection to `addr` is made: build the protocol that will
    /// handle it. The factory is passed as an `Rc`, so the protocol can
    /// keep a handle on it.
    fn build_protocol(self: Rc<Self>, addr: SocketAddr) -> Box<dyn Protocol>;

    /// The connection could not be made. `connector.connect()` tries again.
    fn client_connection_failed(&self, connector: &Connector, reason: io::Error) {
        let _ = (connector, reason);
    }

    /// A connection this factory's protocol was handling is over (the
    /// protocol has already been told).
    fn client_connection_lost(&self, connector: &Connector, reason: Disconnect) {
        let _ = (connector, reason);
    }
}
// ANCHOR_END: factory

/// A copy of a [`Disconnect`], for when two parties must each be told why a
/// connection ended (an `io::Error` cannot be cloned: the copy keeps its
/// kind and its message).
pub fn copy_reason(reason: &Disconnect) -> Disconnect {
    match reason {
        Disconnect::Done => Disconnect::Done,
        Disconnect::Lost(error) => {
            Disconnect::Lost(io::Error::new(error.kind(), error.to_string()))
        }
    }
}
