//! `poetry-proxy-1`: the series' first caching proxy. It serves the poem
//! of an upstream poetry server, fetched on the first request and cached
//! afterwards; `get_poem` returns a poem or a deferred, and the protocol
//! calls it through `maybe_deferred`.
//!
//! Its flaw is kept on purpose: clients that ask at the same time, before
//! anything is cached, each cause a download.
//!
//! ```text
//! cargo run -p part-14 --bin poetry-proxy-1 -- --port 10000 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::{cli, log};
use part_03::Reactor;
use part_06::Printer;
use part_11::{listen_tcp, raise_file_limit};
use part_14::{ProxyArgs, ProxyFactory, ProxyService1, Upstream, proxying};

/// A caching poetry proxy (version 1.0): serves the upstream server's
/// poem, downloading it on the first request and from the cache after.
#[derive(Debug, Parser)]
#[command(name = "poetry-proxy-1", version)]
struct Args {
    #[command(flatten)]
    proxy: ProxyArgs,
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
    let service = ProxyService1::new(upstream, log.clone());
    let factory = ProxyFactory::new(move || service.poem_deferred(), log);
    let port = match listen_tcp(&reactor, &args.proxy.iface, args.proxy.port, factory) {
        Ok(port) => port,
        Err(error) => return cli::fail(error),
    };
    // ANCHOR_END: main
    if let Err(error) = port.set_write_timeout(&args.proxy.write) {
        return cli::fail(format_args!("cannot set the write timeout: {error}"));
    }
    log::out(proxying(port.local_addr().port(), &args.proxy.upstream));
    match reactor.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}
