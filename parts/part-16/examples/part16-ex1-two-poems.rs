//! Exercise 1: serve a second poem on another port, keeping each poem's
//! services apart in a tree of their own.
//!
//! ```text
//! cargo run -p part-16 --example part16-ex1-two-poems -- --port1 10000 --port2 10001 poetry/science.txt poetry/ecstasy.txt
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_02::cli::fail;
use part_03::Reactor;
use part_11::FastPoetryFactory;
use part_16::logging::{self, LogTarget};
use part_16::poetry::{TcpService, log_event, poetry_tree};
use part_16::{Application, StartError};
use signal_hook::consts::{SIGINT, SIGTERM};

/// Serves two poems, each on a port of its own, as one application.
#[derive(Debug, Parser)]
struct Args {
    /// The first poem's port.
    #[arg(long, default_value_t = 10000)]
    port1: u16,
    /// The second poem's port.
    #[arg(long, default_value_t = 10001)]
    port2: u16,
    /// The first poem.
    poem1: PathBuf,
    /// The second poem.
    poem2: PathBuf,
}

// ANCHOR: solution
/// The application: two poem-then-port trees, side by side. Each tree
/// needs a name of its own: a tree may not hold two children of one name.
pub fn two_poems(
    reactor: &Reactor,
    first: (PathBuf, u16),
    second: (PathBuf, u16),
) -> Result<(Application, Vec<Rc<TcpService>>), StartError> {
    let application = Application::new("two-poems");
    let mut ports = Vec::new();
    for (name, (poem, port)) in [("first", first), ("second", second)] {
        let tree = poetry_tree(
            reactor,
            name,
            poem,
            ("127.0.0.1", port),
            Duration::from_secs(30),
            |poem| FastPoetryFactory::new(poem, log_event),
        )?;
        application.add(tree.top)?;
        ports.push(tree.tcp);
    }
    Ok((application, ports))
}
// ANCHOR_END: solution

fn main() -> ExitCode {
    let args = Args::parse();
    let _log = logging::install(LogTarget::Stdout);
    let run = || -> Result<(), StartError> {
        let reactor = Reactor::new()?;
        let _signals = reactor.handle().stop_on_signals(&[SIGINT, SIGTERM])?;
        let (application, _ports) =
            two_poems(&reactor, (args.poem1, args.port1), (args.poem2, args.port2))?;
        application.start()?;
        application.stop_on_shutdown(&reactor);
        Ok(reactor.run()?)
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}
