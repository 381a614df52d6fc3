//! `transform-test`: sends one request to a transformation server and
//! prints the reply, or says that the server closed the connection without
//! one. The request is sent through a [`TransformProxy`], on our reactor.
//!
//! With no poem given, it sends the series' request,
//! `27:cummingsify.HERE IS MY POEM,`.
//!
//! ```text
//! cargo run -p part-12 --bin transform-test -- 11000
//! cargo run -p part-12 --bin transform-test -- 11000 --file poetry/tyger.txt
//! ```

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::cli::Timeouts;
use part_02::{Address, cli, load_poem};
use part_03::Reactor;
use part_07::Failure;
use part_12::TransformProxy;

/// Sends one transform request to a transformation server, and prints the
/// transformed poem.
#[derive(Debug, Parser)]
#[command(name = "transform-test", version)]
struct Args {
    /// The transformation server, as PORT or HOST:PORT (HOST defaults to
    /// 127.0.0.1).
    address: Address,
    /// The transform to ask for.
    #[arg(long, default_value = "cummingsify")]
    transform: String,
    /// The poem, as text on the command line [default: "HERE IS MY POEM",
    /// the series' request].
    #[arg(long, group = "input")]
    poem: Option<String>,
    /// The poem, from a UTF-8 text file.
    #[arg(long, group = "input")]
    file: Option<PathBuf>,
    #[command(flatten)]
    timeouts: Timeouts,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let poem = match (&args.poem, &args.file) {
        (Some(poem), _) => poem.clone(),
        (None, Some(path)) => match load_poem(path).map(String::from_utf8) {
            Ok(Ok(poem)) => poem,
            Ok(Err(_)) => return cli::fail(format_args!("{} is not UTF-8 text", path.display())),
            Err(error) => return cli::fail(error),
        },
        (None, None) => "HERE IS MY POEM".to_string(),
    };
    let addr = match args.address.resolve() {
        Ok(addr) => addr,
        Err(error) => {
            return cli::fail(format_args!(
                "cannot resolve address {}: {error}",
                args.address
            ));
        }
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };

    // ANCHOR: main
    let outcome: Rc<RefCell<Option<Result<String, Failure>>>> = Rc::default();
    let (keep, stopper) = (Rc::clone(&outcome), reactor.clone());
    let _ = TransformProxy::new(&reactor, addr)
        .with_timeouts(args.timeouts)
        .xform(&args.transform, &poem)
        .add_both(move |result: Result<String, Failure>| {
            *keep.borrow_mut() = Some(result);
            let _ = stopper.stop();
        });
    if let Err(error) = reactor.run() {
        return cli::fail(format_args!("the reactor failed: {error}"));
    }
    match outcome.take() {
        Some(Ok(reply)) => {
            print!("{reply}");
            if !reply.ends_with('\n') {
                println!();
            }
            ExitCode::SUCCESS
        }
        Some(Err(failure)) => cli::fail(failure.message()),
        None => cli::fail("the reactor stopped before the reply"),
    }
    // ANCHOR_END: main
}
