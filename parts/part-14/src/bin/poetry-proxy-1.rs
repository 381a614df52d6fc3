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
use part_06::Printer;
use part_14::{ProxyArgs, ProxyFactory, ProxyService1, run_proxy};

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
    // ANCHOR: main
    run_proxy(&args.proxy, |upstream| {
        let log = Printer::log();
        let service = ProxyService1::new(upstream, log.clone());
        ProxyFactory::new(move || service.poem_deferred(), log)
    })
    // ANCHOR_END: main
}
