//! Part 3, `stack`: who calls a callback? Print the stack from inside one.
//!
//! A callback scheduled with `call_when_running` captures a backtrace and
//! prints the frames that belong to this workspace, outermost first: `main`
//! at the top, then the reactor's own functions (`run`, its loop, the code
//! that calls a callback and catches its panics), and only then our
//! callback. The reactor sits between `main` and every piece of our code
//! that runs while it runs.
//!
//! Frames of the standard library and of the C runtime are left out, and no
//! addresses are shown, so the output is the same from run to run.
//!
//! `cargo run -p part-03 --example stack`

use std::backtrace::Backtrace;
use std::process::ExitCode;

use part_03::{Reactor, ReactorError};

/// One frame of the stack: a function and where in the source it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The function, shortened to its last name: `run_loop`, or
    /// `call_when_running::{closure}` for a closure inside it.
    pub function: String,
    /// The source file, relative to the workspace root, and the line.
    pub location: String,
}

// ANCHOR: workspace_stack
/// The frames of the current stack that come from this workspace's source
/// files, outermost first (the caller of this function last).
///
/// A frame belongs to the workspace when its source file is under `parts/`:
/// cargo hands rustc the workspace's files as paths relative to the
/// workspace root, while the standard library's frames point into
/// `/rustc/…`, other crates' into `~/.cargo/registry/…`, and the C
/// runtime's into its own sources, or nowhere.
#[inline(never)]
pub fn workspace_stack() -> Vec<Frame> {
    let text = Backtrace::force_capture().to_string();
    let mut frames = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        // `  12: some::function` then, if known, `      at FILE:LINE:COL`.
        let Some((_, name)) = line.trim_start().split_once(": ") else {
            continue;
        };
        let place = match lines.peek().map(|next| next.trim_start()) {
            Some(next) if next.starts_with("at ") => {
                let place = next["at ".len()..].to_string();
                lines.next();
                place
            }
            _ => continue,
        };
        let place = place.strip_prefix("./").unwrap_or(&place);
        if !place.starts_with("parts/") {
            continue;
        }
        frames.push(Frame {
            function: short_name(name),
            location: file_and_line(place),
        });
    }
    // Leave out this function's own frame, then put `main` first.
    frames.retain(|frame| frame.function != "workspace_stack");
    frames.reverse();
    frames
}
// ANCHOR_END: workspace_stack

/// `part_03::reactor::Reactor::call_guarded::{{closure}}` becomes
/// `call_guarded::{closure}`. Debug information names some frames in full
/// and others by their last name only, so keep the last name everywhere.
fn short_name(name: &str) -> String {
    let mut closure = false;
    let mut last = "";
    for part in name.split("::") {
        if part.starts_with('{') {
            closure |= part.contains("closure");
        } else if !part.is_empty() {
            last = part;
            closure = false;
        }
    }
    // A name of the form `{closure#0}` on its own has no last name at all.
    let last = last.split('<').next().unwrap_or(last);
    match (last.is_empty() || last.starts_with('{'), closure) {
        (true, _) => "{closure}".to_string(),
        (false, true) => format!("{last}::{{closure}}"),
        (false, false) => last.to_string(),
    }
}

/// `parts/part-03/src/reactor.rs:326:18` becomes `parts/part-03/src/reactor.rs:326`.
fn file_and_line(place: &str) -> String {
    match place.rsplit_once(':') {
        Some((rest, column)) if column.chars().all(|c| c.is_ascii_digit()) => rest.to_string(),
        _ => place.to_string(),
    }
}

/// Prints the frames as a tree, `margin` spaces in, each call one step to
/// the right of its caller.
pub fn print_stack(frames: &[Frame], margin: usize) {
    let width = frames
        .iter()
        .enumerate()
        .map(|(depth, frame)| 2 * depth + frame.function.len())
        .max()
        .unwrap_or(0);
    for (depth, frame) in frames.iter().enumerate() {
        let name = format!("{:indent$}{}", "", frame.function, indent = 2 * depth);
        println!("{:margin$}{name:<width$}  {}", "", frame.location);
    }
}

// ANCHOR: stack
fn show_the_stack(reactor: &Reactor) -> Result<(), ReactorError> {
    println!("Inside a callback. The stack, outermost call first:");
    print_stack(&workspace_stack(), 2);
    println!("Between main and this callback, every frame is the reactor's.");
    reactor.stop()
}

fn main() -> ExitCode {
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let handle = reactor.clone();
    reactor.call_when_running(move || show_the_stack(&handle));
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: stack
