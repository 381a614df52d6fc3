//! `poetry-proxy-3`: proxy 3.0, proxy 2.0 with cancellation. A client
//! that hangs up before its poem arrives cancels its deferred; a download
//! that no client waits for any more is cancelled, and its connection to
//! the upstream server closed. The cache and the options are proxy 2.0's.
//!
//! ```text
//! cargo run -p part-19 --bin poetry-proxy-3 -- --port 10000 --max-age 7200 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{cli, log};
use part_03::Reactor;
use part_06::Printer;
use part_11::{listen_tcp, raise_file_limit};
use part_14::{CacheArgs, ProxyArgs, Upstream, proxying};
use part_19::{CancellingFactory, ProxyService3};

/// A caching poetry proxy (version 3.0): serves the upstream server's
/// poem, one download for however many clients ask at once, cached for
/// `--max-age` seconds (or for good); a download nobody waits for any more
/// is cancelled.
#[derive(Debug, Parser)]
#[command(name = "poetry-proxy-3", version)]
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
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    // ANCHOR: main
    let log = Printer::log();
    let timeouts = args.proxy.upstream_timeouts();
    let upstream = Upstream::with_timeouts(&reactor, args.proxy.upstream.clone(), addr, timeouts);
    let service = ProxyService3::new(
        upstream,
        args.cache.max_age,
        !args.cache.no_single_flight,
        log.clone(),
    );
    let factory = CancellingFactory::new(move || service.get_poem(), log);
    // ANCHOR_END: main
    let port = match listen_tcp(&reactor, &args.proxy.iface, args.proxy.port, factory) {
        Ok(port) => port,
        Err(error) => return cli::fail(error),
    };
    if let Err(error) = port.set_write_timeout(&args.proxy.write) {
        return cli::fail(format_args!("cannot set the write timeout: {error}"));
    }
    log::out(proxying(port.local_addr().port(), &args.proxy.upstream));
    match reactor.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}
