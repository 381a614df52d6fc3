//! Part 2, exercise 3: a slow poetry server that serves everyone at once,
//! with a thread per client.
//!
//! The pacing is the same as `slowpoetry`'s; the difference is that a new
//! client no longer waits for the one before it to finish. Every client gets
//! its own thread, which sleeps between chunks without holding anyone else up.
//!
//! `cargo run -p part-02 --example part02-ex3-threaded-server -- --port 10000 poetry/ecstasy.txt`

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;

use clap::Parser;
use part_02::ServerOptions;
use part_02::cli::{self, PacingArgs, ServerArgs};
use part_02::server::{self, Shutdown};

/// Serves a poem slowly, NUM_BYTES bytes every DELAY seconds, to every client
/// at the same time: one thread per client.
#[derive(Debug, Parser)]
#[command(name = "part02-ex3-threaded-server")]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
    #[command(flatten)]
    pacing: PacingArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (poem, listener) = match args.server.open() {
        Ok(opened) => opened,
        Err(error) => return cli::fail(error),
    };
    serve_threaded(&listener, poem.into(), args.pacing.options());
    ExitCode::SUCCESS
}

// ANCHOR: solution
/// Accepts clients for as long as the listener works, and gives each one its
/// own thread, so that all of them are served at the same time.
pub fn serve_threaded(listener: &TcpListener, poem: Arc<[u8]>, options: ServerOptions) {
    for connection in listener.incoming() {
        let socket = match connection {
            Ok(socket) => socket,
            Err(error) => {
                eprintln!("error: cannot accept a connection: {error}");
                continue;
            }
        };
        let peer = match socket.peer_addr() {
            Ok(peer) => peer,
            Err(_) => continue, // gone already
        };
        server::print_event(server::ServerEvent::Accepted(peer));
        let poem = Arc::clone(&poem);
        // The accepting thread goes straight back to `accept`; the sleeping
        // between chunks happens on the client's own thread, in the very
        // function `slowpoetry` calls on its only thread.
        let spawned = thread::Builder::new()
            .name(format!("poetry for {peer}"))
            .spawn(move || {
                let shutdown = Shutdown::new(); // never triggered: serve forever
                server::send_poem(
                    socket,
                    peer,
                    &poem,
                    options,
                    &shutdown,
                    &mut server::print_event,
                )
            });
        if let Err(error) = spawned {
            // Out of threads: this client's socket was moved into the failed
            // spawn and dropped, which closes it.
            eprintln!("error: cannot start a thread for a client: {error}");
        }
    }
}
// ANCHOR_END: solution
