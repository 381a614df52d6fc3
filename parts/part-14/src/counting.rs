//! A poetry server that counts the connections it accepts: how demos and
//! tests see how many times the proxy went upstream.
//!
//! It is deliberately plain (a thread per connection, `std::net`), so that
//! it has nothing in common with the code it checks. Each connection is
//! answered after a delay, the whole poem at once, so that a test can have
//! several requests reach the proxy while a download is still under way.

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use part_02::ServerThread;

/// A poetry server on a free port of 127.0.0.1, on threads of its own.
/// Dropping it stops it.
#[derive(Debug)]
pub struct CountingServer {
    thread: ServerThread,
    accepted: Arc<AtomicUsize>,
}

impl CountingServer {
    /// Serves `poem` to every client, `delay` after it connects, on a
    /// free port.
    pub fn spawn(poem: impl Into<Arc<[u8]>>, delay: Duration) -> io::Result<CountingServer> {
        CountingServer::spawn_on(0, poem, delay)
    }

    /// The same, on `port` of 127.0.0.1 (0: a free one).
    pub fn spawn_on(
        port: u16,
        poem: impl Into<Arc<[u8]>>,
        delay: Duration,
    ) -> io::Result<CountingServer> {
        let poem = poem.into();
        let listener = part_02::server::bind((Ipv4Addr::LOCALHOST, port).into())?;
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&accepted);
        let thread = ServerThread::spawn("counting", listener, move |listener, shutdown| {
            shutdown.wake_accept_of(&listener)?;
            Ok(move || {
                for socket in listener.incoming() {
                    if shutdown.is_triggered() {
                        break;
                    }
                    let Ok(mut socket) = socket else { continue };
                    count.fetch_add(1, Ordering::SeqCst);
                    let poem = Arc::clone(&poem);
                    thread::spawn(move || {
                        thread::sleep(delay);
                        let _ = socket.write_all(&poem);
                    });
                }
            })
        })?;
        Ok(CountingServer { thread, accepted })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.thread.addr()
    }

    /// How many connections it has accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}
