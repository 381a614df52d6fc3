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
use part_06::Printer;
use part_14::{CacheArgs, ProxyArgs, run_proxy};
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
    // ANCHOR: main
    run_proxy(&args.proxy, |upstream| {
        let log = Printer::log();
        let service = ProxyService3::new(
            upstream,
            args.cache.max_age,
            !args.cache.no_single_flight,
            log.clone(),
        );
        CancellingFactory::new(move || service.get_poem(), log)
    })
    // ANCHOR_END: main
}
