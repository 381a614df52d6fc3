//! # Part 2 — Slow poetry and the apocalypse
//!
//! The first programs of the series, and the helpers every later part reuses.
//!
//! - [`server`]: a *blocking* slow poetry server. It serves one client at a
//!   time, sending a poem a few bytes at a time with a pause between chunks, so
//!   that downloading poetry becomes something you can watch.
//! - [`blocking`]: a client that downloads from each server in turn. While it
//!   waits for one server, it cannot listen to any other.
//! - [`async_client`]: the same downloads with non-blocking sockets and one
//!   readiness loop, written by hand on [`mio::Poll`]. One thread waits for *all*
//!   the sockets at once and reads from whichever is ready.
//!
//! The small pieces the parts after this one need live here, once:
//! [`Address`] (a `port` or `host:port` command-line address), [`load_poem`]
//! and the bundled [`poems`], [`format_duration`] and the [`report`] lines every client prints, and
//! [`SlowServer`], which starts a slow server on a free port inside the current
//! process, for demos, tests and benchmarks ([`demo::DemoServers`] starts
//! the few a guided demo needs), on a [`ServerThread`]: the one way every
//! part runs a server on a thread until it is dropped. Every server program
//! logs through [`log`], whose lines never stop a server. The helpers the parts' tests share are not
//! here: they are the workspace's `testkit` crate, which is not a lesson.

pub mod address;
pub mod async_client;
pub mod background;
pub mod blocking;
pub mod cli;
pub mod demo;
pub mod downloads;
pub mod log;
pub mod poem;
pub mod report;
pub mod server;

pub use address::{Address, AddressError};
pub use background::ServerThread;
pub use cli::ClientArgs;
pub use poem::{PoemError, demo_poems, format_duration, load_poem, poems};
pub use server::{ServerEvent, ServerOptions, Shutdown, SlowServer};

use std::io;

/// Why a client got no (whole) poem from a server.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The connection could not be made (refused, unreachable…).
    #[error("cannot connect: {0}")]
    Connect(io::Error),
    /// The connection broke before the server closed it normally.
    #[error("connection lost after {received} bytes: {source}")]
    Lost {
        /// Bytes of poetry received before the break.
        received: usize,
        /// What the socket said.
        source: io::Error,
    },
}

// ANCHOR: on_socket
impl FetchError {
    /// Classifies an error seen on a socket after `received` bytes. With
    /// non-blocking sockets a failed connect shows up later, as an error on
    /// the socket, so the error's kind tells the two cases apart.
    pub fn on_socket(received: usize, error: io::Error) -> FetchError {
        use io::ErrorKind::*;
        let connect_failure = matches!(
            error.kind(),
            ConnectionRefused | HostUnreachable | NetworkUnreachable | TimedOut | AddrNotAvailable
        );
        if received == 0 && connect_failure {
            FetchError::Connect(error)
        } else {
            FetchError::Lost {
                received,
                source: error,
            }
        }
    }
}
// ANCHOR_END: on_socket
