//! What the server programs of this part share around their lesson: the
//! steps before and after the few lines that make each one different.
//!
//! Every server here runs the same script: read the poem, make a reactor,
//! make the factory, listen, say where, run. Only the factory (and what
//! the program says about it) differs. So a program's `main` parses its
//! command line and hands a function of that script to [`exit`]; inside
//! it, `?` turns any failure into the program's one `error: …` line, with
//! the words every server of the workspace uses.

use std::error::Error;
use std::fmt::Display;
use std::process::ExitCode;

use part_02::cli;
use part_03::Reactor;

use crate::limits::raise_file_limit;
use crate::listen::ListeningPort;

/// Why a server program stops early: whatever it says after `error: `.
pub type ServerError = Box<dyn Error>;

/// Raises the limit on open files, since every client is one, and warns
/// on standard error (without stopping) if that fails. Servers call this
/// first thing.
pub fn allow_many_clients() {
    if let Err(error) = raise_file_limit() {
        part_02::log::err(format_args!(
            "warning: cannot raise the limit on open files: {error}"
        ));
    }
}

/// A reactor for a server program to run on.
pub fn new_reactor() -> Result<Reactor, ServerError> {
    Reactor::new().map_err(|error| format!("cannot create a reactor: {error}").into())
}

/// Prints the line every server of the series starts with, `Serving WHAT
/// on port N.`, where N is the port `port` listens on and `terms`, if not
/// empty, comes before the full stop (`, to 3 clients`).
pub fn say_where(what: impl Display, port: &ListeningPort, terms: impl Display) {
    let number = port.local_addr().port();
    part_02::log::out(format_args!("Serving {what} on port {number}{terms}."));
}

/// Runs `reactor` until it stops: for a server, usually never.
pub fn run(reactor: &Reactor) -> Result<(), ServerError> {
    reactor
        .run()
        .map_err(|error| format!("the reactor failed: {error}").into())
}

/// A server program's exit code: success if `served` is `Ok`, otherwise
/// the `error: …` line on standard error and a failing code.
pub fn exit(served: Result<(), ServerError>) -> ExitCode {
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(error),
    }
}
