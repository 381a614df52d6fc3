//! The asynchronous client's readiness loop, written by hand on [`mio::Poll`].
//!
//! Nothing here is clever, and that is the point: this is what every
//! asynchronous runtime does underneath. All sockets are non-blocking, so no
//! read can stall the program. The only place the program waits is
//! [`Poll::poll`], which sleeps until *at least one* of the sockets has
//! something to say, and then says which.
//!
//! `mio` stands in for the series' `select`: on Linux it uses `epoll`, which
//! does not rescan every socket on every call, and it reports readiness
//! *edge-triggered*: once per change, not once per poll. That is why the loop
//! reads each ready socket until it would block; bytes left behind would not
//! be announced again.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

use crate::FetchError;
use crate::cli::Timeouts;

/// What the loop reports as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// Bytes arrived from a server.
    Received {
        /// The task's number, counting from 1 in the order of the addresses.
        task: usize,
        /// How many bytes this time.
        bytes: usize,
    },
    /// The server closed the connection: that task's poem is complete.
    Finished {
        /// The task's number.
        task: usize,
    },
    /// The task failed; its poem is lost.
    Failed {
        /// The task's number.
        task: usize,
        /// What went wrong.
        error: &'a FetchError,
    },
}

/// One download in progress: its socket while it is open, and the bytes so far.
struct Download {
    socket: Option<TcpStream>,
    poem: Vec<u8>,
    outcome: Option<Result<(), FetchError>>,
    /// When the download gives up unless the server sends something, and
    /// how long that was from the last time it did.
    deadline: Option<(Instant, Duration)>,
}

impl Download {
    /// A download not yet connected. Until its first bytes it waits for
    /// the connection and then for the server: both limits added up.
    fn new(timeouts: &Timeouts) -> Download {
        let patience = timeouts.idle().map(|idle| idle + timeouts.connect_timeout);
        Download {
            socket: None,
            poem: Vec::new(),
            outcome: None,
            deadline: patience.map(|limit| (Instant::now() + limit, limit)),
        }
    }

    /// The server sent something: the idle limit starts again.
    fn heard_from(&mut self, timeouts: &Timeouts) {
        self.deadline = timeouts.idle().map(|idle| (Instant::now() + idle, idle));
    }
}

/// How long the loop may wait for the next event: until the earliest
/// deadline of a download still running (`None`: no deadline at all).
fn time_left(downloads: &[Download]) -> Option<Duration> {
    downloads
        .iter()
        .filter(|d| d.socket.is_some())
        .filter_map(|d| d.deadline)
        .map(|(deadline, _)| deadline.saturating_duration_since(Instant::now()))
        .min()
}

/// Ends every running download whose deadline has passed, as a failure
/// (`TimedOut`), just as a broken connection ends: the others go on.
fn give_up_on_silent(downloads: &mut [Download], poll: &Poll, report: &mut impl FnMut(Event<'_>)) {
    let now = Instant::now();
    for (i, download) in downloads.iter_mut().enumerate() {
        let Some((deadline, limit)) = download.deadline else {
            continue;
        };
        if deadline > now || download.socket.is_none() {
            continue;
        }
        if let Some(mut socket) = download.socket.take() {
            let _ = poll.registry().deregister(&mut socket);
        }
        let error = FetchError::on_socket(download.poem.len(), Timeouts::silent(limit));
        report(Event::Failed {
            task: i + 1,
            error: &error,
        });
        download.outcome = Some(Err(error));
    }
}

// ANCHOR: loop
/// Downloads one poem from each address, all at once, on this one thread.
/// Returns each task's poem or error, in the order of the addresses; fails
/// as a whole only if the readiness machinery itself fails.
pub fn get_poetry(
    addresses: &[SocketAddr],
    timeouts: &Timeouts,
    mut report: impl FnMut(Event<'_>),
) -> io::Result<Vec<Result<Vec<u8>, FetchError>>> {
    let mut poll = Poll::new()?;
    let mut downloads = Vec::with_capacity(addresses.len());

    // Start every connection at once. A non-blocking connect returns at once;
    // whether it worked, the socket will tell us later.
    for (i, addr) in addresses.iter().enumerate() {
        let mut download = Download::new(timeouts);
        match TcpStream::connect(*addr) {
            Ok(mut socket) => {
                poll.registry()
                    .register(&mut socket, Token(i), Interest::READABLE)?;
                download.socket = Some(socket);
            }
            Err(error) => {
                let error = FetchError::Connect(error);
                report(Event::Failed {
                    task: i + 1,
                    error: &error,
                });
                download.outcome = Some(Err(error));
            }
        }
        downloads.push(download);
    }

    let mut events = Events::with_capacity(1024);
    while downloads.iter().any(|d| d.socket.is_some()) {
        // The one place this program waits: until some socket is ready,
        // or the most impatient download has waited long enough.
        match poll.poll(&mut events, time_left(&downloads)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        for event in events.iter() {
            let i = event.token().0;
            let download = &mut downloads[i];
            let Some(socket) = download.socket.as_mut() else {
                continue;
            };
            // Take everything that is there now, without waiting for more.
            let before = download.poem.len();
            let result = read_available(socket, &mut download.poem);
            let received = download.poem.len() - before;
            if received > 0 {
                download.heard_from(timeouts);
                report(Event::Received {
                    task: i + 1,
                    bytes: received,
                });
            }
            let outcome = match result {
                Ok(Open::Yes) => continue, // more to come: back to waiting
                Ok(Open::No) => Ok(()),    // the server closed: poem complete
                Err(error) => Err(FetchError::on_socket(download.poem.len(), error)),
            };
            // This download is over: stop watching its socket and close it.
            if let Some(mut socket) = download.socket.take() {
                let _ = poll.registry().deregister(&mut socket);
            }
            match &outcome {
                Ok(()) => report(Event::Finished { task: i + 1 }),
                Err(error) => report(Event::Failed { task: i + 1, error }),
            }
            download.outcome = Some(outcome);
        }
        give_up_on_silent(&mut downloads, &poll, &mut report);
    }

    Ok(downloads
        .into_iter()
        .map(|d| match d.outcome {
            Some(Err(error)) => Err(error),
            _ => Ok(d.poem),
        })
        .collect())
}
// ANCHOR_END: loop

/// Whether the connection is still open after reading.
enum Open {
    Yes,
    No,
}

// ANCHOR: read_available
/// Reads everything the socket has now, appending it to `poem`, and stops
/// when the socket has nothing more *yet* (`WouldBlock`) or the server has
/// closed the connection (a read of 0 bytes).
fn read_available(socket: &mut TcpStream, poem: &mut Vec<u8>) -> io::Result<Open> {
    let mut buffer = [0; 1024];
    loop {
        match socket.read(&mut buffer) {
            Ok(0) => return Ok(Open::No),
            Ok(n) => poem.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Open::Yes),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: read_available
