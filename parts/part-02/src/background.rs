//! A server on a thread of this process, stopped by dropping its handle.
//!
//! Demos, tests and benchmarks start servers inside their own process: a
//! slow poetry server here, an asynchronous one in part 11, a
//! transformation server in part 12, a counting one in part 14. Each is a
//! function that serves a listening socket until a [`Shutdown`] signal is
//! given, run on a thread by [`ServerThread`]. Dropping the
//! [`ServerThread`] gives the signal and waits for the thread to end, so a
//! test never leaves a server behind.
//!
//! How a server notices the signal depends on where it waits. One that
//! sleeps between chunks waits on the signal itself ([`Shutdown::wait`]).
//! One blocked in `accept` is woken by a connection
//! ([`Shutdown::wake_accept_of`]). One running a reactor has the signal
//! stop the reactor (part 3's `ReactorHandle::stop`, registered with
//! [`Shutdown::on_trigger`]).

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};

use crate::server::Shutdown;

/// A server running on a thread of its own until this handle is dropped.
#[derive(Debug)]
pub struct ServerThread {
    addr: SocketAddr,
    shutdown: Shutdown,
    thread: Option<JoinHandle<()>>,
}

impl ServerThread {
    /// Starts a server on `listener`, on a thread named `name` and the
    /// address.
    ///
    /// `start` runs on the new thread, with the listener and the shutdown
    /// signal: it sets the server up (and registers how the signal reaches
    /// it), then returns the function that serves until the signal is
    /// given. `spawn` returns once the setup is done, with its error if it
    /// failed, so a server that could not start is an error here rather
    /// than a silent thread. The server is built on its own thread because
    /// a reactor, for one, cannot move between threads.
    pub fn spawn<S, F>(
        name: impl Into<String>,
        listener: TcpListener,
        start: S,
    ) -> io::Result<ServerThread>
    where
        S: FnOnce(TcpListener, Shutdown) -> io::Result<F> + Send + 'static,
        F: FnOnce(),
    {
        let addr = listener.local_addr()?;
        let shutdown = Shutdown::new();
        let signal = shutdown.clone();
        let (started, start_result) = mpsc::channel();
        let thread = thread::Builder::new()
            .name(format!("{} {addr}", name.into()))
            .spawn(move || match start(listener, signal) {
                Ok(serve) => {
                    let _ = started.send(Ok(()));
                    serve();
                }
                Err(error) => {
                    let _ = started.send(Err(error));
                }
            })?;
        let server = ServerThread {
            addr,
            shutdown,
            thread: Some(thread),
        };
        match start_result.recv() {
            Ok(Ok(())) => Ok(server),
            Ok(Err(error)) => Err(error),
            Err(_) => Err(io::Error::other(
                "the server thread ended before it started",
            )),
        }
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for ServerThread {
    fn drop(&mut self) {
        self.shutdown.trigger();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
