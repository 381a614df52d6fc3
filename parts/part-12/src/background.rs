//! A transformation server on a thread of its own, for demos and tests:
//! it listens on a free port of 127.0.0.1 and runs until its handle is
//! dropped, sending what it does down a channel instead of printing it.
//! It is part 2's [`ServerThread`]; dropping it stops our reactor through
//! its handle, or the tokio server through a one-shot channel.

use std::io;
use std::sync::mpsc::{self, Receiver};

use futures::channel::oneshot;
use part_02::ServerThread;
use part_03::{Phase, Reactor};
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

/// Starts a server of `kind` with `options` on a thread of its own; the
/// running server (dropping it stops it; [`ServerThread::addr`] says where
/// it listens), and its events as they happen.
pub fn spawn(
    kind: ServerKind,
    options: ServerOptions,
) -> io::Result<(ServerThread, Receiver<Event>)> {
    let listener = part_02::server::bind(([127, 0, 0, 1], 0).into())?;
    let (events, received) = mpsc::channel();
    let report = move |event: Event| {
        let _ = events.send(event);
    };
    let name = match kind {
        ServerKind::Reactor => "transformedpoetry",
        ServerKind::Tokio => "transformedpoetry-tokio",
    };
    let server = ServerThread::spawn(name, listener, move |listener, shutdown| {
        let addr = listener.local_addr()?;
        let serve: Box<dyn FnOnce() -> io::Result<()>> = match kind {
            ServerKind::Reactor => {
                let reactor = Reactor::new()?;
                let factory = TransformFactory::new(&reactor, options, report);
                let port = listen_on(&reactor, listener, factory)?;
                // On the way out, refuse new clients (the port\'s socket closes).
                reactor.add_shutdown_trigger(Phase::Before, move || port.stop_listening());
                let handle = reactor.handle();
                shutdown.on_trigger(move || {
                    let _ = handle.stop();
                });
                Box::new(move || reactor.run().map_err(io::Error::other))
            }
            ServerKind::Tokio => {
                let (stop, stopped) = oneshot::channel::<()>();
                shutdown.on_trigger(move || {
                    let _ = stop.send(());
                });
                Box::new(move || {
                    let stopped = async {
                        let _ = stopped.await;
                    };
                    tokio_server::serve_until(listener, options, report, stopped)
                })
            }
        };
        Ok(move || {
            if let Err(error) = serve() {
                eprintln!("{name} {addr}: the server failed: {error}");
            }
        })
    })?;
    Ok((server, received))
}
