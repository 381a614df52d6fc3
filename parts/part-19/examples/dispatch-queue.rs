//! A resizable dispatch queue: twelve messages sent through a queue whose
//! width is changed while they are sent, paused, resumed, and stopped,
//! on a virtual clock (the scene is `part_19::dispatch_scene::scene`,
//! which the book's figure draws too).
//!
//! ```text
//! cargo run -p part-19 --example dispatch-queue
//! ```

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_19::dispatch_scene::{Timeline, scene};
use part_19::pretend::Log;

fn main() -> ExitCode {
    let run = || -> Result<(), String> {
        let reactor =
            Reactor::with(BackendKind::Mio, VirtualClock::new()).map_err(|e| e.to_string())?;
        let log = Log::printing(&reactor);
        let timeline = Rc::new(RefCell::new(Timeline::default()));
        let stopped = scene(&reactor, &log, &timeline);
        reactor
            .run_until(stopped)
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
