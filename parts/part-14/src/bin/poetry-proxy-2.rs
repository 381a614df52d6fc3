//! `poetry-proxy-2`: the caching proxy with pre-fired deferreds. A cached
//! poem comes back in a deferred that has fired already. With the
//! series' exercises solved: `--max-age` fetches a poem again once it is
//! that old, and clients that ask while the poem is being fetched wait for
//! that one download (unless `--no-single-flight`).
//!
//! ```text
//! cargo run -p part-14 --bin poetry-proxy-2 -- --port 10000 --max-age 7200 10001
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_06::Printer;
use part_14::{CacheArgs, ProxyArgs, ProxyFactory, ProxyService2, run_proxy};

/// A caching poetry proxy (version 2.0): serves the upstream server's
/// poem, one download for however many clients ask at once, cached for
/// `--max-age` seconds (or for good).
#[derive(Debug, Parser)]
#[command(name = "poetry-proxy-2", version)]
struct Args {
    #[command(flatten)]
    proxy: ProxyArgs,
    #[command(flatten)]
    cache: CacheArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // ANCHOR: main
    run_proxy(&args.proxy, |upstream| {
        let log = Printer::log();
        let service = ProxyService2::new(
            upstream,
            args.cache.max_age,
            !args.cache.no_single_flight,
            log.clone(),
        );
        ProxyFactory::new(move || service.get_poem(), log)
    })
    // ANCHOR_END: main
}
