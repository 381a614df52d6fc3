//! # Part 5 — Twistier poetry
//!
//! Part 4's client 1.0 was a reader the reactor called: one object that
//! owned a socket, read from it, and knew what poetry was. This part pulls
//! those apart, the way Twisted does, into three layers, each knowing one
//! thing:
//!
//! - a **transport** ([`Connection`], and the protocol's handle on it,
//!   [`Transport`]) knows sockets: it reads until the socket would block,
//!   buffers what cannot be written yet, and closes cleanly;
//! - a **protocol** ([`Protocol`]) knows what the bytes of one connection
//!   mean: it is told `connection_made`, `data_received`,
//!   `connection_lost`, and never sees a socket;
//! - a **factory** ([`ClientFactory`]) knows the program: it builds a
//!   protocol for each connection, hears about connections that failed or
//!   ended, and keeps what they share.
//!
//! [`connect_tcp`] ties them to the reactor of part 3 with a non-blocking
//! connect: it returns at once, and the reactor later either builds a
//! protocol for the new connection or tells the factory it failed.
//!
//! Client 2.0 ([`client`]) is the poetry client written in these terms, and
//! [`tokio_client`] is the same client on tokio, for comparison. [`stack`]
//! shows, from inside `data_received`, the layers a call passes through.
//!
//! Later parts build on this: part 6 hides a protocol behind a
//! `get_poetry` function, and part 11 accepts connections and hands each to
//! [`Connection::open`] with a protocol from a server factory.

pub mod client;
pub mod connector;
pub mod protocol;
pub mod stack;
pub mod tokio_client;
pub mod transport;

pub use connector::{
    CONNECT_TIMEOUT, Connector, IDLE_TIMEOUT, connect_tcp, connect_tcp_timeout, connect_tcp_with,
};
pub use protocol::{ClientFactory, Protocol, copy_reason};
pub use transport::{Connection, LostHook, READ_SIZE, Transport, Wire};

pub use part_03::{BackendKind, Disconnect, Reactor};
