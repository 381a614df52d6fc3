//! Part 3, `simple`: a reactor with nothing to do, waiting for ever.
//!
//! Nothing is scheduled and nothing is watched, so the reactor's loop goes
//! straight to its wait and stays there, in `epoll_wait` (through mio), with no
//! timeout and an empty set. The process uses no CPU at all while it waits.
//! Nothing will ever wake it up, and nothing will ever call `stop`, so press
//! Ctrl-C to end it. Like the series' script, it prints nothing. `simple` and `simple-poll` differ only in the backend
//! they choose: `cargo xtask diff simple simple-poll`.
//!
//! `cargo run -p part-03 --example simple`

use std::process::ExitCode;

use part_03::{BackendKind, Clock, Reactor};

// ANCHOR: main
fn main() -> ExitCode {
    let reactor = match Reactor::with(BackendKind::Mio, Clock::real()) {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Blocks in the backend's wait, for ever: there is nothing to wake it.
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main
