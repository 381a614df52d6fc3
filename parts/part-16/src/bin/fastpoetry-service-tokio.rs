//! `fastpoetry-service-tokio`: the fast poetry service on tokio, in the
//! foreground, logging with `tracing`, stopping gracefully on `SIGINT` or
//! `SIGTERM`: the clients being served are served whole first.
//!
//! ```text
//! cargo run -p part-16 --bin fastpoetry-service-tokio -- --port 10000 poetry/science.txt
//! ```

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use part_02::cli::{ServerArgs, fail, parse_count, parse_seconds};
use part_16::logging::{self, LogTarget};
use part_16::tokio_service::{Pacing, serve, shutdown_signal};

/// Serves a poem to every client at once, on tokio; on SIGINT or SIGTERM,
/// stops accepting and lets the clients in flight finish.
#[derive(Debug, Parser)]
#[command(name = "fastpoetry-service-tokio", version)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
    /// Seconds between chunks (0: the whole poem at once).
    #[arg(long, default_value = "0", value_parser = parse_seconds)]
    delay: Duration,
    /// Bytes per chunk, when there is a delay.
    #[arg(long, default_value_t = 10, value_parser = parse_count)]
    num_bytes: usize,
    /// Seconds to wait for the clients in flight once asked to stop.
    #[arg(long, default_value = "30", value_parser = parse_seconds)]
    shutdown_timeout: Duration,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _log = logging::install(LogTarget::Stdout);
    part_11::program::allow_many_clients();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(format_args!("cannot start tokio: {error}")),
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

// ANCHOR: main
async fn run(args: Args) -> Result<(), String> {
    let poem = part_02::load_poem(&args.server.poetry_file).map_err(|e| e.to_string())?;
    tracing::info!("loaded a poem from {}", args.server.poetry_file.display());
    let listener =
        part_02::server::listen(&args.server.iface, args.server.port).map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    // Before saying so: from here on, a signal means "stop gracefully".
    let shutdown = shutdown_signal().map_err(|e| format!("cannot handle signals: {e}"))?;
    tracing::info!("listening on port {port}");
    let pacing = Pacing {
        num_bytes: args.num_bytes,
        delay: args.delay,
    };
    serve(
        listener,
        Arc::from(poem),
        pacing,
        shutdown,
        args.shutdown_timeout,
    )
    .await;
    tracing::info!("Server Shut Down.");
    Ok(())
}
// ANCHOR_END: main
