//! Command-line pieces every poetry client and server shares, from this
//! part to the last.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use std::io::{self, Read, Write};

use crate::{Address, ServerOptions, load_poem, log, server};

/// The addresses a poetry client downloads from, one task per address,
/// and how long it waits for a silent server.
#[derive(Debug, clap::Args)]
pub struct ClientArgs {
    /// Poetry servers, as PORT or HOST:PORT (HOST defaults to 127.0.0.1).
    #[arg(required = true, value_name = "ADDRESS")]
    pub addresses: Vec<Address>,
    /// How long to wait for a silent server.
    #[command(flatten)]
    pub timeouts: Timeouts,
}

/// How long a client waits for a server before it gives up on it: to
/// connect, and then between two arrivals of data. Every client of the
/// workspace takes these options (through [`ClientArgs`]) and gives up on
/// a server that exceeds them as it does on a refused port: that one
/// download fails, with a "timed out" reason, and the others go on.
///
/// Without them a client waits for ever on a server that accepts and never
/// sends, or an address that never answers. The defaults are the ones a
/// client should have: nothing in the workspace waits for ever unless told
/// to (`--idle-timeout 0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::Args)]
pub struct Timeouts {
    /// Give up on a server that sends nothing for this many seconds (0:
    /// wait for ever).
    #[arg(long = "idle-timeout", value_name = "SECONDS", default_value = "60",
          value_parser = parse_seconds)]
    pub idle_timeout: Duration,
    /// Give up on a connection that takes longer than this many seconds to
    /// be made.
    #[arg(long = "connect-timeout", value_name = "SECONDS", default_value = "10",
          value_parser = parse_positive_seconds)]
    pub connect_timeout: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            idle_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

impl Timeouts {
    /// The idle limit, if there is one (`None`: wait for ever).
    pub fn idle(&self) -> Option<Duration> {
        Some(self.idle_timeout).filter(|limit| !limit.is_zero())
    }

    /// The error a download fails with when the server has been silent for
    /// `limit`. (Not of kind `TimedOut`, which
    /// [`FetchError::on_socket`](crate::FetchError::on_socket) takes for a
    /// connection attempt that got no answer: this connection was made.)
    pub fn silent(limit: Duration) -> io::Error {
        io::Error::other(format!(
            "timed out: nothing came for {}",
            crate::format_duration(limit)
        ))
    }

    /// A blocking connection to `addr` that honours both limits: the
    /// connect gives up after the connect timeout, and every later read
    /// after the idle timeout (with a `TimedOut` error).
    pub fn connect(&self, addr: SocketAddr) -> io::Result<PatientStream> {
        let socket = TcpStream::connect_timeout(&addr, self.connect_timeout)?;
        socket.set_read_timeout(self.idle())?;
        Ok(PatientStream {
            socket,
            idle: self.idle(),
        })
    }
}

/// A blocking connection whose reads give up after the idle timeout: see
/// [`Timeouts::connect`]. (The operating system reports a read that timed
/// out as `WouldBlock`; this says `TimedOut`, and for how long.)
#[derive(Debug)]
pub struct PatientStream {
    socket: TcpStream,
    idle: Option<Duration>,
}

impl PatientStream {
    /// The connection itself.
    pub fn get_ref(&self) -> &TcpStream {
        &self.socket
    }
}

impl Read for PatientStream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match (self.socket.read(buffer), self.idle) {
            (Err(e), Some(limit))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(Timeouts::silent(limit))
            }
            (result, _) => result,
        }
    }
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
    let _ = writeln!(io::stderr(), "error: {message}");
    ExitCode::FAILURE
}

/// Writes `bytes` to standard output at once, and flushes, so that a line
/// is seen the moment it is printed. A closed standard output (a client
/// piped into `head -1`) is no reason to panic: the bytes are dropped, and
/// the program goes on to its end.
pub fn print_bytes(bytes: &[u8]) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

/// Writes one line (and a newline) to standard output, as [`print_bytes`]:
/// how clients print, where `println!` would panic on a closed output.
pub fn print_line(line: impl std::fmt::Display) {
    print_bytes(format!("{line}\n").as_bytes());
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
    /// How long a client may read nothing while the server has more to send.
    #[command(flatten)]
    pub write: WriteTimeout,
}

/// The `--write-timeout` every server takes: see
/// [`server::set_write_timeout`].
#[derive(Clone, Copy, Debug, clap::Args)]
pub struct WriteTimeout {
    /// Close a connection whose client reads nothing for this many seconds
    /// while the server has more to send (0: wait for ever).
    #[arg(long = "write-timeout", value_name = "SECONDS", default_value = "30",
          value_parser = parse_seconds)]
    pub write_timeout: Duration,
}

impl WriteTimeout {
    /// The limit, if there is one.
    pub fn limit(&self) -> Option<Duration> {
        Some(self.write_timeout).filter(|limit| !limit.is_zero())
    }

    /// Applies the limit to every connection `listener` accepts from now on.
    pub fn apply(&self, listener: &TcpListener) -> io::Result<()> {
        server::set_write_timeout(listener, self.limit())
    }
}

impl ServerArgs {
    /// Loads the poem and opens the listening socket, then prints
    /// `Serving FILE on port N.`, as every server of the series does (in
    /// the server's [`log`]).
    pub fn open(&self) -> Result<(Vec<u8>, TcpListener), String> {
        let poem = load_poem(&self.poetry_file).map_err(|e| e.to_string())?;
        let listener = server::listen(&self.iface, self.port).map_err(|e| e.to_string())?;
        self.write
            .apply(&listener)
            .map_err(|e| format!("cannot set the write timeout: {e}"))?;
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

/// Parses a number of seconds, more than 0.
pub fn parse_positive_seconds(text: &str) -> Result<Duration, String> {
    match parse_seconds(text)? {
        seconds if seconds.is_zero() => Err("must be more than 0 seconds".to_string()),
        seconds => Ok(seconds),
    }
}
