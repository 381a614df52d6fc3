//! `slowpoetry`: a blocking poetry server that serves one client at a time,
//! a few bytes at a time.
//!
//! ```text
//! cargo run -p part-02 --bin slowpoetry -- --port 10000 poetry/ecstasy.txt
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::server::{self, ServerEvent, Shutdown};
use part_02::{ServerOptions, cli, load_poem};

/// Serves a poem slowly: NUM_BYTES bytes every DELAY seconds, to one client at
/// a time. Clients that connect meanwhile wait their turn.
#[derive(Debug, Parser)]
#[command(name = "slowpoetry", version)]
struct Args {
    /// Port to listen on (0: any free port; the port is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "localhost")]
    iface: String,
    /// Seconds to wait between chunks.
    #[arg(long, default_value = "0.7", value_parser = parse_delay)]
    delay: Duration,
    /// Bytes to send at a time.
    #[arg(long, default_value_t = 10, value_parser = parse_num_bytes)]
    num_bytes: usize,
    /// The poem to serve (a UTF-8 text file).
    poetry_file: PathBuf,
}

fn parse_delay(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| "not a number of seconds".to_string())?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| "must be a number of seconds, 0 or more".to_string())
}

fn parse_num_bytes(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("must be a whole number, 1 or more".to_string()),
    }
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
        num_bytes: args.num_bytes,
        delay: args.delay,
    };
    server::serve(
        &listener,
        &poem,
        options,
        &Shutdown::new(),
        |event| match event {
            ServerEvent::Accepted(peer) => println!("Somebody at {peer} wants poetry!"),
            ServerEvent::Sent { bytes, .. } => println!("Sending {bytes} bytes"),
            ServerEvent::Finished { to, bytes } => println!("Sent {bytes} bytes to {to}; closing."),
            ServerEvent::HungUp { to, bytes, error } => {
                println!("{to} hung up after {bytes} bytes ({error}); waiting for the next client.")
            }
            ServerEvent::AcceptFailed(error) => {
                eprintln!("error: cannot accept a connection: {error}")
            }
        },
    );
    ExitCode::SUCCESS
}
