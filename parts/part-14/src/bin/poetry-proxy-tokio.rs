//! `poetry-proxy-tokio`: proxy 2.0 on tokio, with the same options and
//! behaviour. Clients waiting for the download under way share a
//! `tokio::sync::watch` channel.
//!
//! ```text
//! cargo run -p part-14 --bin poetry-proxy-tokio -- --port 10000 --max-age 7200 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{cli, log};
use part_06::Printer;
use part_11::raise_file_limit;
use part_14::{CacheArgs, ProxyArgs, TokioProxy, proxying, tokio_proxy};

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
    let addr = match args.proxy.resolve() {
        Ok(addr) => addr,
        Err(error) => return cli::fail(error),
    };
    if let Err(error) = raise_file_limit() {
        log::err(format_args!(
            "warning: cannot raise the limit on open files: {error}"
        ));
    }
    let listener = match part_02::server::listen(&args.proxy.iface, args.proxy.port) {
        Ok(listener) => listener,
        Err(error) => return cli::fail(error),
    };
    if let Err(error) = args.proxy.write.apply(&listener) {
        return cli::fail(format_args!("cannot set the write timeout: {error}"));
    }
    let port = listener.local_addr().map_or(args.proxy.port, |a| a.port());
    log::out(proxying(port, &args.proxy.upstream));
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
