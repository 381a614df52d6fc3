//! What the poetry servers of this part say about their clients.
//!
//! The servers report [`Event`]s to a function they are given: the
//! programs print them with [`print_event`], demos and tests count them or
//! stay quiet. The words follow part 2's `slowpoetry`, with the client's
//! address on every line, because here many clients are served at once and
//! their lines interleave.

use std::net::SocketAddr;

use part_03::Disconnect;

/// Something a poetry server did for one client.
#[derive(Debug)]
pub enum Event<'a> {
    /// A client connected.
    Accepted(SocketAddr),
    /// A chunk of the poem went to the client's transport.
    Sent {
        /// The client.
        to: SocketAddr,
        /// The chunk's size.
        bytes: usize,
    },
    /// The whole poem was sent and the connection closed.
    Finished {
        /// The client.
        to: SocketAddr,
        /// Bytes sent.
        bytes: usize,
    },
    /// The client went away before the connection was closed normally;
    /// the server stopped sending to it.
    HungUp {
        /// The client.
        to: SocketAddr,
        /// Bytes of the poem handed to the connection before it went (not
        /// all of them need have arrived).
        sent: usize,
        /// The poem's size.
        total: usize,
        /// How the connection ended.
        reason: &'a Disconnect,
        /// Whether a timed call that would have sent the next chunk was
        /// cancelled.
        cancelled: bool,
    },
}

/// How a server reports, shared by all its connections.
pub type Reporter = Box<dyn FnMut(Event<'_>)>;

/// Prints an event on standard output, one line each.
pub fn print_event(event: Event<'_>) {
    match event {
        Event::Accepted(peer) => {
            part_02::log::out(format_args!("Somebody at {peer} wants poetry!"))
        }
        Event::Sent { to, bytes } => {
            part_02::log::out(format_args!("Sending {bytes} bytes to {to}"))
        }
        Event::Finished { to, bytes } => {
            part_02::log::out(format_args!("Sent {bytes} bytes to {to}; closing."))
        }
        Event::HungUp {
            to,
            sent,
            total,
            reason,
            cancelled,
        } => {
            let next = if cancelled {
                "; its next chunk is cancelled"
            } else {
                ""
            };
            part_02::log::out(format_args!(
                "{to} hung up with {sent} of {total} bytes sent ({reason}){next}."
            ))
        }
    }
}

/// Reports nothing: for servers inside demos and tests.
pub fn quiet(_event: Event<'_>) {}
