//! Part 2, exercise 3: a slow poetry server that serves everyone at once,
//! with a thread per client.
//!
//! The pacing is the same as `slowpoetry`'s; the difference is that a new
//! client no longer waits for the one before it to finish. Every client gets
//! its own thread, which sleeps between chunks without holding anyone else up.
//!
//! `cargo run -p part-02 --example part02-ex3-threaded-server -- --port 10000 poetry/ecstasy.txt`

use std::io::{self, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use clap::Parser;
use part_02::{ServerOptions, cli, load_poem, server};

/// Serves a poem slowly, NUM_BYTES bytes every DELAY seconds, to every client
/// at the same time: one thread per client.
#[derive(Debug, Parser)]
#[command(name = "part02-ex3-threaded-server")]
struct Args {
    /// Port to listen on (0: any free port; the port is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "localhost")]
    iface: String,
    /// Seconds to wait between chunks.
    #[arg(long, default_value = "0.7", value_parser = parse_seconds)]
    delay: Duration,
    /// Bytes to send at a time.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    num_bytes: u32,
    /// The poem to serve (a UTF-8 text file).
    poetry_file: PathBuf,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| "not a number of seconds".to_string())?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| "must be a number of seconds, 0 or more".to_string())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let poem = match load_poem(&args.poetry_file) {
        Ok(poem) => poem,
        Err(error) => return cli::fail(error),
    };
    let listener = match server::listen(&args.iface, args.port) {
        Ok(listener) => listener,
        Err(error) => return cli::fail(error),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    println!("Serving {} on port {port}.", args.poetry_file.display());
    let options = ServerOptions {
        num_bytes: args.num_bytes as usize,
        delay: args.delay,
    };
    serve_threaded(&listener, poem.into(), options);
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
        let poem = Arc::clone(&poem);
        // The accepting thread goes straight back to `accept`; the sleeping
        // between chunks happens on the client's own thread.
        let spawned = thread::Builder::new()
            .name("poetry sender".to_string())
            .spawn(move || {
                let peer = socket
                    .peer_addr()
                    .map_or("?".to_string(), |a| a.to_string());
                println!("Somebody at {peer} wants poetry!");
                match send_slowly(socket, &poem, options) {
                    Ok(sent) => println!("Sent {sent} bytes to {peer}; closing."),
                    Err(error) => println!("{peer} hung up ({error})."),
                }
            });
        if let Err(error) = spawned {
            // Out of threads: this client's socket is dropped, which closes it.
            eprintln!("error: cannot start a thread for a client: {error}");
        }
    }
}

/// Sends `poem` `num_bytes` at a time, pausing between chunks, then closes
/// the connection (by dropping it). Returns how many bytes were sent.
fn send_slowly(mut socket: TcpStream, poem: &[u8], options: ServerOptions) -> io::Result<usize> {
    socket.set_nodelay(true)?;
    for (i, chunk) in poem.chunks(options.num_bytes.max(1)).enumerate() {
        if i > 0 {
            thread::sleep(options.delay);
        }
        socket.write_all(chunk)?;
    }
    Ok(poem.len())
}
// ANCHOR_END: solution
