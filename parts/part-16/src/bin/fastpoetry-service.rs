//! `fastpoetry-service`: part 11's fast poetry server as an application
//! of services, the series' "tac file": the poem, then the port, logging
//! with `tracing`, stopped cleanly by `SIGINT` or `SIGTERM`. It runs in
//! the foreground; `twistd fastpoetry` runs the same tree as a daemon.
//!
//! ```text
//! cargo run -p part-16 --bin fastpoetry-service -- --port 10000 poetry/ecstasy.txt
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::cli::{ServerArgs, fail};
use part_03::Reactor;
use part_16::logging::{self, LogTarget};
use part_16::poetry::fastpoetry_service;
use part_16::{Application, StartError};
use signal_hook::consts::{SIGINT, SIGTERM};

/// Serves a poem fast, as a tree of services (the poem, then the port),
/// logging to standard output; SIGINT or SIGTERM stops it cleanly.
#[derive(Debug, Parser)]
#[command(name = "fastpoetry-service", version)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _log = logging::install(LogTarget::Stdout);
    part_11::program::allow_many_clients();
    match run(args.server) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

// ANCHOR: main
fn run(server: ServerArgs) -> Result<(), StartError> {
    let reactor = Reactor::new()?;
    let _signals = reactor.handle().stop_on_signals(&[SIGINT, SIGTERM])?;
    // The configuration: which poem, which port. Nothing runs yet.
    let application = Application::new("fastpoetry");
    let wait_for_clients = Duration::from_secs(30);
    let tree = fastpoetry_service(
        &reactor,
        server.poetry_file,
        (&server.iface, server.port),
        wait_for_clients,
    )?;
    application.add(tree)?;
    // Running it: start the tree, stop it when the reactor shuts down.
    application.start()?;
    application.stop_on_shutdown(&reactor);
    reactor.run()?;
    tracing::info!("Server Shut Down.");
    Ok(())
}
// ANCHOR_END: main
