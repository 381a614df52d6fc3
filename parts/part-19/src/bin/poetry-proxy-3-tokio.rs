//! `poetry-proxy-3-tokio`: proxy 3.0 on tokio, with the same options and
//! behaviour. A client's task races its poem against its hang-up; a
//! download whose last waiting client has gone is dropped, and with it the
//! connection to the upstream server.
//!
//! ```text
//! cargo run -p part-19 --bin poetry-proxy-3-tokio -- --port 10000 --max-age 7200 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_06::Printer;
use part_14::{CacheArgs, ProxyArgs};
use part_19::{TokioProxy3, tokio_proxy3};

/// A caching poetry proxy on tokio (version 3.0): serves the upstream
/// server's poem, one download for however many clients ask at once,
/// cached for `--max-age` seconds (or for good); a download nobody waits
/// for any more is dropped.
#[derive(Debug, Parser)]
#[command(name = "poetry-proxy-3-tokio", version)]
struct Args {
    #[command(flatten)]
    proxy: ProxyArgs,
    #[command(flatten)]
    cache: CacheArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (addr, listener) = match args.proxy.listen_tokio() {
        Ok(started) => started,
        Err(error) => return cli::fail(error),
    };
    let proxy = TokioProxy3::new(
        args.proxy.upstream.to_string(),
        addr,
        args.cache.max_age,
        !args.cache.no_single_flight,
        args.proxy.upstream_timeouts(),
        Printer::log(),
    );
    match tokio_proxy3::serve_until(listener, proxy, std::future::pending()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("cannot start the runtime: {error}")),
    }
}
