//! The transformation server on tokio: an accept loop, a task per
//! connection, and the netstring codec.
//!
//! Where the reactor's protocol keeps a [`Decoder`](crate::netstring::Decoder)
//! and is handed bytes, the task wraps its socket in a
//! [`Framed`] with the [`NetstringCodec`] and *asks* for the next message:
//! `framed.next().await`. The time limit is `tokio::time::timeout` around
//! that wait, where the reactor version schedules a timed call. The
//! decisions (what a request means, what to reply) are the same function,
//! [`respond`], and so are the lines the server prints.

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use part_02::log;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::task::{self, LocalSet};
use tokio_util::codec::Framed;

use crate::codec::{CodecError, NetstringCodec};
use crate::server::{Closed, Event, ServerOptions, respond};

/// How the tasks report, shared by all of them.
type Reporter = Rc<RefCell<dyn FnMut(Event)>>;

// ANCHOR: serve_one
/// One connection's task: wait (for a while) for one request, answer it
/// or not, and close. Any byte stream will do: a `TcpStream`, or in a
/// test an in-memory `tokio::io::duplex` (part 15).
pub async fn serve_one<S>(socket: S, peer: SocketAddr, options: Rc<ServerOptions>) -> Event
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut framed = Framed::new(socket, NetstringCodec::new(options.max_length));
    let payload = match within(options.timeout, framed.next()).await {
        Err(limit) => {
            let why = Closed::TimedOut(limit);
            return Event::Closed { peer, why };
        }
        Ok(None | Some(Err(CodecError::Io(_)))) => return Event::HungUp(peer),
        Ok(Some(Err(CodecError::Netstring(error)))) => {
            let why = Closed::Malformed(error);
            return Event::Closed { peer, why };
        }
        Ok(Some(Ok(payload))) => payload,
    };
    match respond(&options.transforms, &payload) {
        Ok((name, poem)) => {
            // A client gone by now gets nothing; nothing else to do.
            let _ = framed.send(poem.as_bytes()).await;
            let _ = framed.close().await;
            let bytes = poem.len();
            Event::Transformed { peer, name, bytes }
        }
        Err(why) => Event::Closed { peer, why },
    }
    // Dropping `framed` closes the socket.
}
// ANCHOR_END: serve_one

/// `future`, given at most `limit` (`None`: no limit) to finish; the limit
/// as the error if it did not.
async fn within<T>(
    limit: Option<Duration>,
    future: impl Future<Output = T>,
) -> Result<T, Duration> {
    match limit {
        Some(limit) => tokio::time::timeout(limit, future).await.map_err(|_| limit),
        None => Ok(future.await),
    }
}

/// Accepts clients forever, a task for each.
async fn accept_loop(listener: TcpListener, options: Rc<ServerOptions>, report: Reporter) {
    loop {
        match listener.accept().await {
            Ok((socket, peer)) => {
                (report.borrow_mut())(Event::Accepted(peer));
                let (options, report) = (Rc::clone(&options), Rc::clone(&report));
                task::spawn_local(async move {
                    let event = serve_one(socket, peer, options).await;
                    (report.borrow_mut())(event);
                });
            }
            Err(error) => {
                log::err(format_args!("cannot accept a connection: {error}"));
                tokio::time::sleep(part_11::ACCEPT_PAUSE).await;
            }
        }
    }
}

/// Serves transforms to every client of `listener`, on a current-thread
/// runtime, until the process ends. Returns only if the runtime cannot be
/// started.
pub fn serve(
    listener: std::net::TcpListener,
    options: ServerOptions,
    report: impl FnMut(Event) + 'static,
) -> io::Result<()> {
    serve_until(listener, options, report, std::future::pending())
}

/// The same, until `stop` completes: how a server on a thread of a demo
/// or a test is stopped. Connections still being served are dropped.
pub fn serve_until(
    listener: std::net::TcpListener,
    options: ServerOptions,
    report: impl FnMut(Event) + 'static,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    listener.set_nonblocking(true)?;
    let report: Reporter = Rc::new(RefCell::new(report));
    LocalSet::new().block_on(&runtime, async move {
        let listener = TcpListener::from_std(listener)?;
        tokio::select! {
            () = accept_loop(listener, Rc::new(options), report) => {}
            () = stop => {}
        }
        Ok(())
    })
}
