//! A resizable dispatch queue: sixteen messages sent through a queue whose
//! width is changed while they are sent, paused, resumed, and stopped, on
//! a virtual clock. The scene is `part_19::dispatch_scene::scene`, which
//! the book's figure draws too.
//!
//! ```text
//! cargo run -p part-19 --example dispatch-queue
//! ```

use std::process::ExitCode;

use part_19::dispatch_scene::run_scene;

fn main() -> ExitCode {
    match run_scene(true) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
