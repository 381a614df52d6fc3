//! Part 12, exercise 1: more transforms.
//!
//! A transformation server offering, beside `cummingsify`, `shout` (the
//! poem in capitals), `reverse` (the lines in reverse order) and `haiku`
//! (the poem, if it has three lines; otherwise it fails, and the client
//! gets no reply).
//!
//! ```text
//! cargo run -p part-12 --example part12-ex1-transforms -- --port 11000
//! cargo run -p part-12 --bin transform-test -- 11000 --transform reverse --file poetry/tyger.txt
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_03::Reactor;
use part_11::listen_tcp;
use part_12::cli::{TransformServerArgs, serving};
use part_12::{TransformFactory, Transforms, print_event};

/// A transformation server with more transforms: cummingsify, shout,
/// reverse, haiku.
#[derive(Debug, Parser)]
#[command(name = "part12-ex1-transforms")]
struct Args {
    #[command(flatten)]
    server: TransformServerArgs,
}

// ANCHOR: transforms
/// The poem in capitals.
pub fn shout(poem: &str) -> Result<String, String> {
    Ok(poem.to_uppercase())
}

/// The poem's lines, last first.
pub fn reverse(poem: &str) -> Result<String, String> {
    let mut lines: Vec<&str> = poem.lines().collect();
    lines.reverse();
    Ok(lines.join("\n") + if poem.ends_with('\n') { "\n" } else { "" })
}

/// The poem, if it is three lines long; a failure otherwise.
pub fn haiku(poem: &str) -> Result<String, String> {
    match poem.lines().count() {
        3 => Ok(poem.to_string()),
        n => Err(format!("a haiku has three lines, not {n}")),
    }
}

/// The series' transforms and these.
pub fn transforms() -> Transforms {
    Transforms::standard()
        .with("shout", shout)
        .with("reverse", reverse)
        .with("haiku", haiku)
}
// ANCHOR_END: transforms

fn main() -> ExitCode {
    let args = Args::parse();
    let mut options = args.server.options();
    options.transforms = transforms();
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let names = options.transforms.clone();
    let factory = TransformFactory::new(&reactor, options, print_event);
    let port = match listen_tcp(&reactor, &args.server.iface, args.server.port, factory) {
        Ok(port) => port,
        Err(error) => return cli::fail(error),
    };
    println!("{}", serving(&names, port.local_addr().port()));
    match reactor.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}
