//! `twistd`: runs a poetry service in the foreground or as a daemon.
//!
//! ```text
//! cargo run -p part-16 --bin twistd -- --help
//! cargo run -p part-16 --bin twistd -- --nodaemon fastpoetry --port 10000 --poem poetry/science.txt
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    part_16::runner::main_with(&part_16::plugins())
}
