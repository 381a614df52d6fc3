//! A transformation server on a thread of its own, for demos and tests:
//! it listens on a free port of 127.0.0.1 and runs until the process ends,
//! sending what it does down a channel instead of printing it.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{self, Receiver};
use std::thread;

use part_03::Reactor;
use part_11::listen_on;

use crate::server::{Event, ServerOptions, TransformFactory};
use crate::tokio_server;

/// Which transformation server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// Ours: part 5's protocol on part 11's listening port.
    Reactor,
    /// The tokio server with the codec.
    Tokio,
}

/// Starts a server of `kind` with `options` on a thread of its own; its
/// address, and its events as they happen.
pub fn spawn(
    kind: ServerKind,
    options: ServerOptions,
) -> io::Result<(SocketAddr, Receiver<Event>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let (events, received) = mpsc::channel();
    let report = move |event: Event| {
        let _ = events.send(event);
    };
    let (started, starting) = mpsc::channel();
    thread::spawn(move || {
        let served = match kind {
            ServerKind::Reactor => Reactor::new().and_then(|reactor| {
                let factory = TransformFactory::new(&reactor, options, report);
                let _port = listen_on(&reactor, listener, factory)?;
                let _ = started.send(Ok(()));
                reactor.run().map_err(io::Error::other)
            }),
            ServerKind::Tokio => {
                let _ = started.send(Ok(()));
                tokio_server::serve(listener, options, report)
            }
        };
        if let Err(error) = served {
            let _ = started.send(Err(error));
        }
    });
    match starting.recv() {
        Ok(Ok(())) => Ok((addr, received)),
        Ok(Err(error)) => Err(error),
        Err(_) => Err(io::Error::other("the server thread ended at once")),
    }
}
