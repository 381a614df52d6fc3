//! Part 2, exercise 2: the asynchronous client with a time limit.
//!
//! The readiness loop of `async-client`, with one change: it never waits
//! past a deadline. Servers that have not finished by then are hung up on,
//! and their tasks fail with "timed out"; the others keep their poems.
//!
//! `cargo run -p part-02 --example part02-ex2-timeout -- --timeout 5 10000 10001`

use std::fmt;
use std::io::{self, Read};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use part_02::{ClientArgs, FetchError, cli, report};

/// Downloads poetry from all the servers at once, giving up on any server
/// that has not sent its whole poem within the time limit.
#[derive(Debug, Parser)]
#[command(name = "part02-ex2-timeout")]
struct Args {
    /// Seconds to wait for all the poems, at most.
    #[arg(long, default_value = "10", value_parser = cli::parse_seconds)]
    timeout: Duration,
    #[command(flatten)]
    client: ClientArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sockets = match args.client.resolve() {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let start = Instant::now();
    let results = match get_poetry_within(&sockets, args.timeout) {
        Ok(results) => results,
        Err(error) => return cli::fail(format_args!("the readiness loop failed: {error}")),
    };
    let mut got = 0;
    for (i, (result, address)) in results.iter().zip(&args.client.addresses).enumerate() {
        match result {
            Ok(poem) => {
                println!("{}", report::poem_size(i + 1, poem.len()));
                got += 1;
            }
            Err(failure) => eprintln!("{}", report::failed(i + 1, address, failure)),
        }
    }
    println!("{}", report::total(got, start.elapsed()));
    cli::client_exit(results.len() - got, results.len())
}

/// Why a task has no poem.
#[derive(Debug)]
pub enum Failure {
    /// The download failed, as it can in `async-client`.
    Fetch(FetchError),
    /// The server had not finished when time ran out.
    TimedOut {
        /// Bytes received before we hung up.
        received: usize,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Fetch(error) => error.fmt(f),
            Failure::TimedOut { received } => write!(f, "timed out after {received} bytes"),
        }
    }
}

// ANCHOR: solution
/// Downloads one poem from each address, all at once, but gives up on every
/// download still going after `limit`.
pub fn get_poetry_within(
    addresses: &[SocketAddr],
    limit: Duration,
) -> io::Result<Vec<Result<Vec<u8>, Failure>>> {
    let deadline = Instant::now() + limit;
    let mut poll = Poll::new()?;
    let mut sockets = Vec::new();
    let mut poems = vec![Vec::new(); addresses.len()];
    let mut outcomes: Vec<Option<Failure>> = Vec::new();
    for (i, addr) in addresses.iter().enumerate() {
        match TcpStream::connect(*addr) {
            Ok(mut socket) => {
                poll.registry()
                    .register(&mut socket, Token(i), Interest::READABLE)?;
                sockets.push(Some(socket));
                outcomes.push(None);
            }
            Err(error) => {
                sockets.push(None);
                outcomes.push(Some(Failure::Fetch(FetchError::Connect(error))));
            }
        }
    }

    let mut events = Events::with_capacity(1024);
    while sockets.iter().any(Option::is_some) {
        // The change: wait no longer than what is left before the deadline.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match poll.poll(&mut events, Some(left)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        // After a timeout, `events` is empty and the loop checks the clock.
        for event in events.iter() {
            let i = event.token().0;
            let Some(socket) = sockets[i].as_mut() else {
                continue;
            };
            let failure = match read_until_blocked(socket, &mut poems[i]) {
                Ok(true) => continue, // still open: more to come
                Ok(false) => None,    // closed by the server: complete
                Err(error) => Some(Failure::Fetch(FetchError::on_socket(poems[i].len(), error))),
            };
            if let Some(mut socket) = sockets[i].take() {
                let _ = poll.registry().deregister(&mut socket);
            }
            outcomes[i] = failure;
        }
    }

    // Whatever is still open ran out of time: hang up (dropping closes it).
    for (i, socket) in sockets.iter_mut().enumerate() {
        if let Some(mut socket) = socket.take() {
            let _ = poll.registry().deregister(&mut socket);
            outcomes[i] = Some(Failure::TimedOut {
                received: poems[i].len(),
            });
        }
    }
    Ok(poems
        .into_iter()
        .zip(outcomes)
        .map(|(poem, failure)| match failure {
            Some(failure) => Err(failure),
            None => Ok(poem),
        })
        .collect())
}

/// Reads all the socket has now into `poem`. `Ok(true)`: the connection is
/// still open; `Ok(false)`: the server closed it.
fn read_until_blocked(socket: &mut TcpStream, poem: &mut Vec<u8>) -> io::Result<bool> {
    let mut buffer = [0; 1024];
    loop {
        match socket.read(&mut buffer) {
            Ok(0) => return Ok(false),
            Ok(n) => poem.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(true),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: solution
