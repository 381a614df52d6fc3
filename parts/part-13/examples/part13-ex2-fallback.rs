//! Exercise 2 of part 13: an errback that returns a deferred.
//!
//! Client 6.0 falls back on the original poem as soon as its one
//! transformation server fails. With two servers, try the second before
//! giving up: the first `xform`'s errback returns the second `xform`'s
//! deferred, and only if that one fails too does the chain keep the
//! original. The program asks for a transform three times: with the first
//! server down, with both down, and with the first up.
//!
//! ```text
//! cargo run -p part-13 --example part13-ex2-fallback
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use part_02::demo::closed_port;
use part_03::Reactor;
use part_07::{Deferred, Failure};
use part_12::background::{ServerKind, spawn};
use part_12::{ServerOptions, TransformProxy};

/// Transforms a poem with a second transformation server to fall back on.
#[derive(Debug, Parser)]
#[command(name = "part13-ex2-fallback")]
struct Args {}

// ANCHOR: fallback
/// Asks `first` to apply `name` to `poem`; if that fails, asks `second`;
/// if that fails too, fires with the original poem. Never fails.
pub fn xform_with_fallback(
    first: &TransformProxy,
    second: &TransformProxy,
    name: &str,
    poem: &str,
) -> Deferred<String> {
    let (second, name, original) = (second.clone(), name.to_string(), poem.to_string());
    let again = original.clone();
    first
        .xform(&name, poem)
        // An errback may return a deferred too: the chain waits for it.
        .add_errback(move |_: Failure| second.xform(&name, &again))
        .add_errback(move |_: Failure| Ok(original))
}
// ANCHOR_END: fallback

/// Runs one request on a fresh reactor until its deferred fires.
pub fn ask(first: SocketAddr, second: SocketAddr, poem: &str) -> Result<String, String> {
    let reactor = Reactor::new().map_err(|e| e.to_string())?;
    let (a, b) = (
        TransformProxy::new(&reactor, first),
        TransformProxy::new(&reactor, second),
    );
    let got = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (keep, stop) = (std::rc::Rc::clone(&got), reactor.clone());
    let _ = xform_with_fallback(&a, &b, "cummingsify", poem).add_callback(move |poem: String| {
        *keep.borrow_mut() = Some(poem);
        let _ = stop.stop();
    });
    reactor.run().map_err(|e| e.to_string())?;
    got.take()
        .ok_or_else(|| "the deferred never fired".to_string())
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let up_server = match spawn(ServerKind::Reactor, ServerOptions::default()) {
        Ok((server, _events)) => server,
        Err(error) => {
            eprintln!("error: cannot start a transformation server: {error}");
            return ExitCode::FAILURE;
        }
    };
    let up = up_server.addr();
    let down = match closed_port() {
        Ok(addr) => addr,
        Err(error) => {
            eprintln!("error: cannot find a free port: {error}");
            return ExitCode::FAILURE;
        }
    };
    let poem = "Tyger Tyger, Burning Bright";
    for (what, first, second) in [
        ("first down, second up", down, up),
        ("both down", down, down),
        ("first up", up, down),
    ] {
        match ask(first, second, poem) {
            Ok(got) => println!("{what:<22} → {got}"),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
