//! `poetry-proxy-tokio`: proxy 2.0 on tokio, with the same options and
//! behaviour. Clients waiting for the download under way share a
//! `tokio::sync::watch` channel.
//!
//! ```text
//! cargo run -p part-14 --bin poetry-proxy-tokio -- --port 10000 --max-age 7200 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_06::Printer;
use part_14::{CacheArgs, ProxyArgs, TokioProxy, tokio_proxy};

/// A caching poetry proxy on tokio: serves the upstream server's poem, one
/// download for however many clients ask at once, cached for `--max-age`
/// seconds (or for good).
#[derive(Debug, Parser)]
#[command(name = "poetry-proxy-tokio", version)]
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
    let proxy = TokioProxy::new(
        args.proxy.upstream.to_string(),
        addr,
        args.proxy.upstream_timeouts(),
        args.cache.max_age,
        !args.cache.no_single_flight,
        Printer::log(),
    );
    match tokio_proxy::serve(listener, proxy) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("cannot start the runtime: {error}")),
    }
}
