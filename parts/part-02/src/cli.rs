//! Command-line pieces every poetry client and server shares, from this
//! part to the last.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use std::io::Write;

use crate::{Address, ServerOptions, load_poem, log, server};

/// The addresses a poetry client downloads from, one task per address.
#[derive(Debug, clap::Args)]
pub struct ClientArgs {
    /// Poetry servers, as PORT or HOST:PORT (HOST defaults to 127.0.0.1).
    #[arg(required = true, value_name = "ADDRESS")]
    pub addresses: Vec<Address>,
}

impl ClientArgs {
    /// Looks every address up before any download starts, so that a typo is
    /// one clear error rather than a failed task.
    pub fn resolve(&self) -> Result<Vec<SocketAddr>, String> {
        self.addresses
            .iter()
            .map(|address| {
                address
                    .resolve()
                    .map_err(|e| format!("cannot resolve address {address}: {e}"))
            })
            .collect()
    }
}

/// Prints `error: MESSAGE` on standard error and returns a failing exit code:
/// how every program in the workspace reports bad input.
/// Lines a server logged before are written first (see [`log::flush`]),
/// and a closed standard error is no reason to panic.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    log::flush(Duration::from_secs(1));
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::FAILURE
}

/// The exit code of a client: success only if no task failed; otherwise a
/// closing line on standard error saying how many did.
pub fn client_exit(failed: usize, total: usize) -> ExitCode {
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        fail(format_args!("{failed} of {total} downloads failed"))
    }
}

/// What every poetry server is told on its command line: where to listen and
/// which poem to serve.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// Port to listen on (0: any free port; the port is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "localhost")]
    pub iface: String,
    /// The poem to serve (a UTF-8 text file).
    pub poetry_file: PathBuf,
}

impl ServerArgs {
    /// Loads the poem and opens the listening socket, then prints
    /// `Serving FILE on port N.`, as every server of the series does (in
    /// the server's [`log`]).
    pub fn open(&self) -> Result<(Vec<u8>, TcpListener), String> {
        let poem = load_poem(&self.poetry_file).map_err(|e| e.to_string())?;
        let listener = server::listen(&self.iface, self.port).map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_or(self.port, |a| a.port());
        log::out(format_args!(
            "Serving {} on port {port}.",
            self.poetry_file.display()
        ));
        Ok((poem, listener))
    }
}

/// How a slow server paces its poem: the series' `--delay` and `--num-bytes`.
#[derive(Debug, clap::Args)]
pub struct PacingArgs {
    /// Seconds to wait between chunks.
    #[arg(long, default_value = "0.7", value_parser = parse_seconds)]
    pub delay: Duration,
    /// Bytes to send at a time.
    #[arg(long, default_value_t = 10, value_parser = parse_count)]
    pub num_bytes: usize,
}

impl PacingArgs {
    /// The pacing as the server takes it.
    pub fn options(&self) -> ServerOptions {
        ServerOptions {
            num_bytes: self.num_bytes,
            delay: self.delay,
        }
    }
}

/// Parses a number of seconds, 0 or more, possibly fractional (`0.7`).
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| "not a number of seconds".to_string())?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| "must be a number of seconds, 0 or more".to_string())
}

/// Parses a whole number, 1 or more.
pub fn parse_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("must be a whole number, 1 or more".to_string()),
    }
}
