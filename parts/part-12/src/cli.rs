//! The command lines of both transformation servers, and of every client
//! of a transformation server (clients 6.0, 7.0 and 8.0, and their tokio
//! twins).

use std::net::SocketAddr;
use std::time::Duration;

use part_02::ClientArgs;
use part_02::cli::{Timeouts, WriteTimeout, parse_seconds};
use part_06::{Printer, Task};

use crate::netstring::{DEFAULT_MAX_LENGTH, LARGEST_MAX_LENGTH};
use crate::server::ServerOptions;
use crate::transform::Transforms;

/// Where a transformation server listens, and how patient it is.
#[derive(Debug, clap::Args)]
pub struct TransformServerArgs {
    /// Port to listen on (0: any free port; the port is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "localhost")]
    pub iface: String,
    /// Seconds a client has, from connecting, to send its whole request (0:
    /// no limit).
    #[arg(long, default_value = "10", value_parser = parse_seconds)]
    pub timeout: Duration,
    /// How long a client may read nothing while the server has more to send.
    #[command(flatten)]
    pub write: WriteTimeout,
    /// The longest request accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_LENGTH, value_parser = parse_max_length)]
    pub max_length: usize,
}

impl TransformServerArgs {
    /// The server's options: the series' transforms, with these limits.
    pub fn options(&self) -> ServerOptions {
        ServerOptions {
            transforms: Transforms::standard(),
            max_length: self.max_length,
            timeout: Some(self.timeout).filter(|timeout| !timeout.is_zero()),
        }
    }
}

/// The line every transformation server prints once it listens:
/// `Serving transforms (cummingsify) on port N.`
pub fn serving(transforms: &Transforms, port: u16) -> String {
    format!(
        "Serving transforms ({}) on port {port}.",
        transforms.names().join(", ")
    )
}

/// Parses `--max-length`: a whole number of bytes, from 1 up to
/// [`LARGEST_MAX_LENGTH`] (a larger limit could never be honoured).
pub fn parse_max_length(text: &str) -> Result<usize, String> {
    let max = part_02::cli::parse_count(text)?;
    if max > LARGEST_MAX_LENGTH {
        return Err(format!(
            "must be at most {LARGEST_MAX_LENGTH}: no message that long fits in memory"
        ));
    }
    Ok(max)
}

/// A transformation client's command line: the transform to ask for, then
/// the transformation server and the poetry servers.
#[derive(Debug, clap::Args)]
pub struct TransformClientArgs {
    /// The transform to ask for.
    #[arg(long, default_value = "cummingsify")]
    pub transform: String,
    /// The transformation server, then the poetry servers.
    #[command(flatten)]
    pub servers: ClientArgs,
}

impl TransformClientArgs {
    /// The transformation server's address, and a task per poetry server
    /// (numbered from 1, printing to standard output, with the command
    /// line's timeouts), every address looked up first; or the one line
    /// that says what is wrong.
    pub fn resolve(&self) -> Result<(SocketAddr, Vec<Task>), String> {
        if self.servers.addresses.len() < 2 {
            return Err("give a transformation server and at least one poetry server".into());
        }
        let sockets = self.servers.resolve()?;
        let tasks = Task::numbered(
            &self.servers.addresses[1..],
            &sockets[1..],
            &Printer::stdio(),
        )
        .into_iter()
        .map(|task| task.with_timeouts(self.timeouts()))
        .collect();
        Ok((sockets[0], tasks))
    }

    /// The timeouts of the command line, for the transformation server too.
    pub fn timeouts(&self) -> Timeouts {
        self.servers.timeouts
    }
}
