//! Part 3, exercise 5: a reader that breaks the contract, on both backends.
//!
//! A poem goes through a Unix socket pair: a timed call writes it into one
//! end ten bytes a tick, and a reader on the other end collects it, until
//! the writing end is closed. The reader either keeps the contract ("read
//! until it would block") or breaks it, reading at most eight bytes each
//! time it is called. On `poll(2)`, which is level-triggered, breaking it
//! costs only extra turns of the loop. On `epoll`, which mio runs
//! edge-triggered, the unread bytes pile up, the reactor is never told
//! about them again, and the poem is never finished: a deadline has to
//! stop the reactor.
//!
//! `cargo run -p part-03 --example part03-ex5-read-once -- poetry/science.txt`

use std::cell::{Cell, RefCell};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::{BackendKind, Disconnect, FileDescriptor, Reactor, ReadDescriptor, VirtualClock};

/// Sends a poem through a socket pair to a reader that drains the socket or
/// reads only once per call, on both backends.
#[derive(Debug, Parser)]
#[command(name = "part03-ex5-read-once")]
struct Args {
    /// The poem to send.
    #[arg(default_value = "poetry/science.txt")]
    poem: PathBuf,
}

/// How the reader reads when the reactor calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Until the socket would block: the reactor's contract.
    Drain,
    /// One read of at most eight bytes per call.
    Once,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The bytes the reader got.
    pub bytes: Vec<u8>,
    /// Whether it saw the end of the poem (the writer closing its end).
    pub finished: bool,
}

// ANCHOR: solution
/// The reading end of the pair.
struct PoemReader {
    socket: UnixStream,
    reading: Reading,
    received: Rc<RefCell<Vec<u8>>>,
    finished: Rc<Cell<bool>>,
}

impl FileDescriptor for PoemReader {
    fn fileno(&self) -> RawFd {
        self.socket.as_raw_fd()
    }

    fn connection_lost(&mut self, reactor: &Reactor, _: Disconnect) {
        self.finished.set(true);
        let _ = reactor.stop();
    }
}

impl ReadDescriptor for PoemReader {
    fn do_read(&mut self, _: &Reactor) -> Result<(), Disconnect> {
        let mut buffer = [0; 8];
        loop {
            match self.socket.read(&mut buffer) {
                Ok(0) => return Err(Disconnect::Done),
                Ok(n) => self.received.borrow_mut().extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Disconnect::Lost(e)),
            }
            if self.reading == Reading::Once {
                return Ok(()); // the mistake: bytes may be left unread
            }
        }
    }
}

/// Sends `poem` through a socket pair, 10 bytes a tick, to a reader on a
/// reactor of `kind` (on a virtual clock: no real waiting), and gives up
/// ten ticks after the last byte was written.
pub fn send_poem(kind: BackendKind, reading: Reading, poem: &[u8]) -> io::Result<Received> {
    let reactor = Reactor::with(kind, VirtualClock::new())?;
    let (writing_end, reading_end) = UnixStream::pair()?;
    reading_end.set_nonblocking(true)?;
    let received = Rc::new(RefCell::new(Vec::new()));
    let finished = Rc::new(Cell::new(false));
    reactor.add_reader(Rc::new(RefCell::new(PoemReader {
        socket: reading_end,
        reading,
        received: Rc::clone(&received),
        finished: Rc::clone(&finished),
    })))?;

    let tick = Duration::from_millis(100);
    let writer = Rc::new(RefCell::new(Some(writing_end)));
    let chunks: Vec<Vec<u8>> = poem.chunks(10).map(<[u8]>::to_vec).collect();
    let last = chunks.len() as u32;
    for (chunk, n) in chunks.into_iter().zip(1..) {
        let writer = Rc::clone(&writer);
        reactor.call_later(tick * n, move || -> io::Result<()> {
            let mut slot = writer.borrow_mut();
            if let Some(socket) = slot.as_mut() {
                socket.write_all(&chunk)?;
            }
            if n == last {
                slot.take(); // dropping the writing end closes it
            }
            Ok(())
        });
    }
    let handle = reactor.clone();
    reactor.call_later(tick * (last + 10), move || handle.stop());
    reactor.run().map_err(io::Error::other)?;
    Ok(Received {
        bytes: received.take(),
        finished: finished.get(),
    })
}
// ANCHOR_END: solution

fn main() -> ExitCode {
    let args = Args::parse();
    let poem = match std::fs::read(&args.poem) {
        Ok(poem) => poem,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", args.poem.display());
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Sending {} ({} bytes) through a socket pair, 10 bytes a tick:",
        args.poem.display(),
        poem.len()
    );
    for kind in BackendKind::ALL {
        for reading in [Reading::Drain, Reading::Once] {
            let how = match reading {
                Reading::Drain => "reading until it would block",
                Reading::Once => "one 8-byte read per call",
            };
            let name = match kind {
                BackendKind::Mio => "epoll (mio)",
                BackendKind::Poll => "poll(2)",
            };
            match send_poem(kind, reading, &poem) {
                Ok(got) => println!(
                    "  {name:<12} {how:<29} got {:>4} of {} bytes, {}",
                    got.bytes.len(),
                    poem.len(),
                    if got.finished {
                        "and the end of the poem"
                    } else {
                        "then nothing: the rest sat unread"
                    }
                ),
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    ExitCode::SUCCESS
}
