//! Part 11's fast poetry server, written with `async`/`await` on our own
//! runtime: an accept loop, and a task per connection.
//!
//! Line for line it is part 11's tokio server ([`part_11::tokio_server`]):
//! the same loop awaiting `accept`, the same task per client awaiting
//! `write_all`. Only the names of the pieces differ: our [`TcpListener`]
//! and [`TcpStream`], woken by our reactor, and tasks on our [`Runtime`].

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use futures::io::AsyncWriteExt;
use part_03::{Disconnect, Reactor};
use part_11::listen::ACCEPT_PAUSE;
use part_11::report::Event;

use crate::{Runtime, TcpListener, TcpStream};

/// How the tasks report, shared by all of them.
type Reporter = Rc<RefCell<dyn FnMut(Event<'_>)>>;

// ANCHOR: serve_one
/// One connection's task: write the poem, shut the connection down.
async fn serve_one(mut socket: TcpStream, peer: SocketAddr, poem: Rc<[u8]>, report: Reporter) {
    (report.borrow_mut())(Event::Accepted(peer));
    let _ = socket.set_nodelay(true);
    let sent = async {
        socket.write_all(&poem).await?;
        socket.close().await
    };
    match sent.await {
        Ok(()) => (report.borrow_mut())(Event::Finished {
            to: peer,
            bytes: poem.len(),
        }),
        Err(error) => (report.borrow_mut())(Event::HungUp {
            to: peer,
            sent: poem.len(),
            total: poem.len(),
            reason: &Disconnect::Lost(error),
            cancelled: false,
        }),
    }
    // Dropping the socket closes it.
}
// ANCHOR_END: serve_one

// ANCHOR: accept_loop
/// Accepts clients forever, spawning a task for each.
async fn accept_loop(runtime: Runtime, listener: TcpListener, poem: Rc<[u8]>, report: Reporter) {
    loop {
        match listener.accept().await {
            Ok((socket, peer)) => {
                let _task = runtime.spawn(serve_one(
                    socket,
                    peer,
                    Rc::clone(&poem),
                    Rc::clone(&report),
                ));
            }
            // Out of descriptors, or the like: say so, and wait a moment
            // rather than fail again at once.
            Err(error) => {
                part_02::log::err(format_args!("cannot accept a connection: {error}"));
                let _ = runtime.sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}
// ANCHOR_END: accept_loop

// ANCHOR: serve
/// Serves `poem` to every client of `listener`, on our reactor, until the
/// process ends. Returns only if the reactor cannot be made or fails.
pub fn serve(
    listener: std::net::TcpListener,
    poem: Vec<u8>,
    report: impl FnMut(Event<'_>) + 'static,
) -> io::Result<()> {
    let reactor = Reactor::new()?;
    let runtime = Runtime::new(&reactor);
    let listener = TcpListener::from_std(&reactor, listener)?;
    let report: Reporter = Rc::new(RefCell::new(report));
    let served = runtime.block_on(accept_loop(
        runtime.clone(),
        listener,
        Rc::from(poem),
        report,
    ));
    served.map_err(|failure| io::Error::other(failure.message()))
}
// ANCHOR_END: serve
