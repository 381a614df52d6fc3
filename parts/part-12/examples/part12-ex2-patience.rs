//! Part 12, exercise 2: a transformation server that never answers.
//!
//! `TransformProxy::xform` waits for as long as the server keeps the
//! connection open. `xform_within` gives up after a time limit, with part
//! 7's `add_timeout` (part 8's exercise): the timer and the transform race, and the loser is
//! cancelled. Cancelling `xform`'s deferred hangs up on the server.
//!
//! ```text
//! cargo run -p part-12 --example part12-ex2-patience -- 11000 --limit 0.5 --poem "HERE IS MY POEM"
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_02::{Address, cli};
use part_03::Reactor;
use part_07::{Deferred, Failure};
use part_12::TransformProxy;

/// Sends one transform request, and gives up if no reply comes in time.
#[derive(Debug, Parser)]
#[command(name = "part12-ex2-patience")]
struct Args {
    /// The transformation server, as PORT or HOST:PORT.
    address: Address,
    /// Seconds to wait for the reply.
    #[arg(long, default_value = "1", value_parser = part_02::cli::parse_seconds)]
    limit: Duration,
    /// The transform to ask for.
    #[arg(long, default_value = "cummingsify")]
    transform: String,
    /// The poem.
    #[arg(long)]
    poem: String,
}

// ANCHOR: within
/// `proxy.xform(name, poem)`, failing with part 8's `TimedOut` (and
/// hanging up) if no reply arrives within `limit`.
pub fn xform_within(
    reactor: &Reactor,
    proxy: &TransformProxy,
    name: &str,
    poem: &str,
    limit: Duration,
) -> Deferred<String> {
    proxy.xform(name, poem).add_timeout(reactor, limit)
}
// ANCHOR_END: within

fn main() -> ExitCode {
    let args = Args::parse();
    let addr = match args.address.resolve() {
        Ok(addr) => addr,
        Err(error) => return cli::fail(format_args!("cannot resolve {}: {error}", args.address)),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let proxy = TransformProxy::new(&reactor, addr);
    let outcome: Rc<RefCell<Option<Result<String, Failure>>>> = Rc::default();
    let (keep, stopper) = (Rc::clone(&outcome), reactor.clone());
    let _ = xform_within(&reactor, &proxy, &args.transform, &args.poem, args.limit).add_both(
        move |result: Result<String, Failure>| {
            *keep.borrow_mut() = Some(result);
            let _ = stopper.stop();
        },
    );
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    match outcome.take() {
        Some(Ok(reply)) => {
            println!("{reply}");
            ExitCode::SUCCESS
        }
        Some(Err(failure)) => cli::fail(failure.message()),
        None => cli::fail("the reactor stopped before the reply"),
    }
}
