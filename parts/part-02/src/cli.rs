//! Command-line pieces every poetry client shares, from this part to the last.

use std::net::SocketAddr;
use std::process::ExitCode;

use crate::Address;

/// The addresses a poetry client downloads from, one task per address.
#[derive(Debug, clap::Args)]
pub struct ClientArgs {
    /// Poetry servers, as PORT or HOST:PORT (HOST defaults to 127.0.0.1).
    #[arg(required = true, value_name = "ADDRESS")]
    pub addresses: Vec<Address>,
}

impl ClientArgs {
    /// Looks every address up before any download starts, so that a typo is
    /// one clear error rather than a failed task.
    pub fn resolve(&self) -> Result<Vec<SocketAddr>, String> {
        self.addresses
            .iter()
            .map(|address| {
                address
                    .resolve()
                    .map_err(|e| format!("cannot resolve address {address}: {e}"))
            })
            .collect()
    }
}

/// Prints `error: MESSAGE` on standard error and returns a failing exit code:
/// how every program in the workspace reports bad input.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// The exit code of a client: success only if no task failed; otherwise a
/// closing line on standard error saying how many did.
pub fn client_exit(failed: usize, total: usize) -> ExitCode {
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        fail(format_args!("{failed} of {total} downloads failed"))
    }
}
