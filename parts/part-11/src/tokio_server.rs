//! The fast poetry server on tokio: an accept loop, and a task per
//! connection.
//!
//! Where our reactor calls an acceptor's `do_read` when the listening
//! socket is readable, a tokio server is a loop that `await`s
//! [`TcpListener::accept`]: the runtime parks the loop until a client
//! arrives. Each accepted connection gets a task of its own, spawned and
//! left to run; the task plays the protocol's part, and the accept loop
//! plays the factory's. The runtime is a current-thread one, so everything
//! runs on one thread, as on our reactor.

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use part_02::log;
use part_03::Disconnect;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{self, LocalSet};

use crate::listen::ACCEPT_PAUSE;
use crate::report::Event;

/// How the tasks report, shared by all of them.
type Reporter = Rc<RefCell<dyn FnMut(Event<'_>)>>;

// ANCHOR: serve_one
/// One connection's task: write the poem, shut the connection down.
async fn serve_one(mut socket: TcpStream, peer: SocketAddr, poem: Rc<[u8]>, report: Reporter) {
    (report.borrow_mut())(Event::Accepted(peer));
    let _ = socket.set_nodelay(true);
    let sent = async {
        socket.write_all(&poem).await?;
        socket.shutdown().await
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
async fn accept_loop(listener: TcpListener, poem: Rc<[u8]>, report: Reporter) {
    loop {
        match listener.accept().await {
            Ok((socket, peer)) => {
                task::spawn_local(serve_one(
                    socket,
                    peer,
                    Rc::clone(&poem),
                    Rc::clone(&report),
                ));
            }
            // Out of descriptors, or the like: say so, and wait a moment
            // rather than fail again at once.
            Err(error) => {
                log::err(format_args!("cannot accept a connection: {error}"));
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}
// ANCHOR_END: accept_loop

// ANCHOR: serve
/// Serves `poem` to every client of `listener`, on a current-thread
/// runtime, until the process ends. Returns only if the runtime cannot be
/// started.
pub fn serve(
    listener: std::net::TcpListener,
    poem: Vec<u8>,
    report: impl FnMut(Event<'_>) + 'static,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    listener.set_nonblocking(true)?;
    let report: Reporter = Rc::new(RefCell::new(report));
    // A `LocalSet` runs tasks that stay on this thread, so they can share
    // the poem and the reporter through an `Rc`.
    let tasks = LocalSet::new();
    tasks.block_on(&runtime, async move {
        let listener = TcpListener::from_std(listener)?;
        accept_loop(listener, Rc::from(poem), report).await;
        Ok(())
    })
}
// ANCHOR_END: serve
