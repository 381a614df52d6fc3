//! The proxies' command lines.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_02::cli::{self, Timeouts, WriteTimeout, parse_positive_seconds, parse_seconds};
use part_02::{Address, log};
use part_03::Reactor;
use part_11::{ServerFactory, listen_tcp, raise_file_limit};

use crate::{Upstream, proxying};

/// Where a proxy listens and where its poem comes from: every proxy's
/// options.
#[derive(Debug, clap::Args)]
pub struct ProxyArgs {
    /// Port to listen on (0: any free port; the port is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "localhost")]
    pub iface: String,
    /// The upstream poetry server, as PORT or HOST:PORT (HOST defaults to
    /// 127.0.0.1).
    #[arg(value_name = "UPSTREAM")]
    pub upstream: Address,
    /// Give up on the upstream server when it sends nothing for this many
    /// seconds (or takes as long to accept the connection); the clients
    /// waiting for it are then closed.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_positive_seconds)]
    pub upstream_timeout: Duration,
    /// How long a client may read nothing while the proxy has more to send.
    #[command(flatten)]
    pub write: WriteTimeout,
}

impl ProxyArgs {
    /// How long a download from upstream may wait: `--upstream-timeout`,
    /// for the connect (at most part 2's default) and for the server.
    pub fn upstream_timeouts(&self) -> Timeouts {
        Timeouts {
            idle_timeout: self.upstream_timeout,
            connect_timeout: self
                .upstream_timeout
                .min(Timeouts::default().connect_timeout),
        }
    }

    /// Looks the upstream server up, once, at start.
    pub fn resolve(&self) -> Result<SocketAddr, String> {
        self.upstream
            .resolve()
            .map_err(|error| format!("cannot resolve address {}: {error}", self.upstream))
    }

    /// What every proxy does first: looks the upstream server up, and
    /// raises the limit on open files (a warning if it cannot).
    fn start(&self) -> Result<SocketAddr, String> {
        let addr = self.resolve()?;
        if let Err(error) = raise_file_limit() {
            log::err(format_args!(
                "warning: cannot raise the limit on open files: {error}"
            ));
        }
        Ok(addr)
    }

    /// The start of a proxy on tokio: the upstream server looked up, a
    /// listening socket with the write timeout, and the line that says
    /// where it listens. Returns the upstream's address and the socket for
    /// the runtime, or the one line that says what is wrong.
    pub fn listen_tokio(&self) -> Result<(SocketAddr, std::net::TcpListener), String> {
        let addr = self.start()?;
        let listener =
            part_02::server::listen(&self.iface, self.port).map_err(|error| error.to_string())?;
        self.write
            .apply(&listener)
            .map_err(|error| format!("cannot set the write timeout: {error}"))?;
        let port = listener.local_addr().map_or(self.port, |a| a.port());
        log::out(proxying(port, &self.upstream));
        Ok((addr, listener))
    }
}

/// Runs a proxy on our reactor with these options until it is stopped:
/// every reactor proxy's `main`, apart from the service it serves. Looks
/// the upstream server up, makes a reactor, hands `factory` the
/// [`Upstream`] to download from, listens with the factory it returns,
/// says where, and runs. Anything that stops it is one `error:` line and
/// a failing exit code.
pub fn run_proxy(
    args: &ProxyArgs,
    factory: impl FnOnce(Upstream) -> Rc<dyn ServerFactory>,
) -> ExitCode {
    let addr = match args.start() {
        Ok(addr) => addr,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let timeouts = args.upstream_timeouts();
    let upstream = Upstream::with_timeouts(&reactor, args.upstream.clone(), addr, timeouts);
    let port = match listen_tcp(&reactor, &args.iface, args.port, factory(upstream)) {
        Ok(port) => port,
        Err(error) => return cli::fail(error),
    };
    if let Err(error) = port.set_write_timeout(&args.write) {
        return cli::fail(format_args!("cannot set the write timeout: {error}"));
    }
    log::out(proxying(port.local_addr().port(), &args.upstream));
    match reactor.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}

/// How proxy 2.0 (and its tokio twin) keep the poem: the series'
/// exercises.
#[derive(Debug, clap::Args)]
pub struct CacheArgs {
    /// Fetch the poem again once the cached copy is older than this many
    /// seconds (default: keep it for as long as the proxy runs).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub max_age: Option<Duration>,
    /// Let every client that arrives while the poem is being fetched start
    /// a download of its own, as proxy 1.0 does (by default they wait for
    /// the one under way).
    #[arg(long)]
    pub no_single_flight: bool,
}
