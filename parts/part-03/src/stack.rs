//! Who called me? The call stack, seen from inside a callback.
//!
//! [`workspace_stack`] captures the stack where it is called and keeps the
//! frames that come from this workspace's own source files, outermost first:
//! `main` at the top, then the reactor's own functions, and only then the
//! callback. Part 3's `stack` example and part 5's layers of client 2.0 are
//! both drawn from it.
//!
//! Frames of the standard library, of other crates and of the C runtime are
//! left out, and so are columns and addresses, so the output has the same
//! shape on every run. Source locations come from debug information: in a
//! build without it (a plain release build) the list is empty.

use std::backtrace::Backtrace;
use std::path::Path;

/// One frame of the stack: a function and where in the source it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The function, shortened to its last name: `run_loop`,
    /// `Connection::do_read` for a trait method, `call_when_running::{closure}`
    /// for a closure inside a function.
    pub function: String,
    /// The source file, relative to the workspace root, and the line:
    /// `parts/part-03/src/reactor.rs:326`.
    pub location: String,
}

// ANCHOR: workspace_stack
/// The frames of the current stack that come from this workspace's source
/// files, outermost first; the caller of this function comes last.
///
/// A frame belongs to the workspace when its source file is under
/// `parts/`: the standard library's frames point into `/rustc/…`, other
/// crates' into cargo's registry, and the C runtime's into its own sources,
/// or nowhere.
#[inline(never)]
pub fn workspace_stack() -> Vec<Frame> {
    let text = Backtrace::force_capture().to_string();
    let mut frames = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        // `  12: some::function`, then `      at FILE:LINE:COL` if known.
        let Some((_, name)) = line.trim_start().split_once(": ") else {
            continue;
        };
        let Some(place) = lines
            .peek()
            .and_then(|next| next.trim_start().strip_prefix("at "))
        else {
            continue;
        };
        lines.next();
        let Some(place) = workspace_path(place) else {
            continue;
        };
        frames.push(Frame {
            function: short_name(name),
            location: without_column(&place),
        });
    }
    // Leave out this function's own frame, then put `main` first.
    frames.retain(|frame| frame.function != "workspace_stack");
    frames.reverse();
    frames
}
// ANCHOR_END: workspace_stack

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

/// A frame with the layer it belongs to, as later parts label them
/// (program, reactor, transport, protocol…).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layered<L> {
    /// The layer.
    pub layer: L,
    /// The function, shortened as in [`Frame::function`].
    pub function: String,
    /// The source file and line, as in [`Frame::location`].
    pub location: String,
}

/// Labels each frame of `frames` (outermost first) with a layer: `layer_of`
/// is given the frame's location and whether the reactor has been entered
/// further out, and returns the frame's layer and whether that layer *is*
/// the reactor. The innermost frame is left out when it is named `skip`
/// (the caller's own function).
pub fn label<L>(
    mut frames: Vec<Frame>,
    skip: &str,
    layer_of: impl Fn(&str, bool) -> (L, bool),
) -> Vec<Layered<L>> {
    if frames.last().is_some_and(|frame| frame.function == skip) {
        frames.pop();
    }
    let mut inside_reactor = false;
    frames
        .into_iter()
        .map(|frame| {
            let (layer, is_reactor) = layer_of(&frame.location, inside_reactor);
            inside_reactor |= is_reactor;
            Layered {
                layer,
                function: frame.function,
                location: frame.location,
            }
        })
        .collect()
}

/// Prints labelled frames, one a line: layer, function, source line.
pub fn print_layered<L: std::fmt::Display>(frames: &[Layered<L>]) {
    let width = frames.iter().map(|f| f.function.len()).max().unwrap_or(0);
    for frame in frames {
        println!(
            "  {:<9}  {:<width$}  {}",
            frame.layer, frame.function, frame.location
        );
    }
}

/// `parts/part-NN/…` for a file of this workspace, `None` for any other.
/// The backtrace names a file under the current directory relative to it
/// (`./src/main.rs`, when a test runs a program from its package's folder),
/// and most others by their absolute path. Some (the C library's) are
/// relative paths from elsewhere, so a relative path counts only if the
/// file is really there.
fn workspace_path(place: &str) -> Option<String> {
    // `FILE:LINE:COLUMN`: the file is everything before the first colon.
    let (file, line) = place.split_once(':').unwrap_or((place, ""));
    let path = Path::new(file);
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let absolute = std::env::current_dir().ok()?.join(path);
        if !absolute.is_file() {
            return None;
        }
        absolute
    };
    let text = absolute.to_string_lossy().replace("/./", "/");
    let at = text.rfind("/parts/part-")?;
    let file = &text[at + 1..];
    Some(if line.is_empty() {
        file.to_string()
    } else {
        format!("{file}:{line}")
    })
}

/// `<part_05::transport::Connection as part_03::ReadDescriptor>::do_read`
/// becomes `Connection::do_read`; `part_03::report::guarded` becomes
/// `guarded`; `{closure#0}` becomes `{closure}`. (Debug information names
/// some frames in full and others by their last name only, so keep the last
/// name everywhere.)
fn short_name(name: &str) -> String {
    let name = name.trim();
    // A trait method: `<Type as Trait>::method`.
    if let Some(rest) = name.strip_prefix('<')
        && let Some(close) = matching_close(rest)
    {
        let inner = &rest[..close];
        let ty = inner.split(" as ").next().unwrap_or(inner);
        let method = rest[close + 1..].trim_start_matches("::");
        return format!("{}::{}", last_segment(ty), last_segment(method));
    }
    last_segment(name)
}

/// The index of the `>` that closes an already opened `<` in `text`.
fn matching_close(text: &str) -> Option<usize> {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The last name of a path, without generic arguments; a closure keeps the
/// name of the function it is in, when there is one.
fn last_segment(path: &str) -> String {
    // Drop generic arguments: everything between balanced `<` and `>`.
    let mut plain = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let parts: Vec<&str> = plain.split("::").filter(|p| !p.is_empty()).collect();
    let named: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| !p.starts_with('{'))
        .collect();
    let closure = parts
        .last()
        .is_some_and(|p| p.starts_with('{') && p.contains("closure"));
    match (named.last(), closure) {
        (Some(last), true) => format!("{last}::{{closure}}"),
        (Some(last), false) => (*last).to_string(),
        (None, _) => "{closure}".to_string(),
    }
}

/// `parts/part-03/src/reactor.rs:326:18` becomes `parts/part-03/src/reactor.rs:326`.
fn without_column(place: &str) -> String {
    match place.rsplit_once(':') {
        Some((rest, column)) if column.chars().all(|c| c.is_ascii_digit()) => rest.to_string(),
        _ => place.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shortened() {
        assert_eq!(
            short_name(
                "<part_05::transport::Connection as part_03::reactor::ReadDescriptor>::do_read"
            ),
            "Connection::do_read"
        );
        assert_eq!(short_name("part_03::report::guarded"), "guarded");
        assert_eq!(short_name("{closure#0}"), "{closure}");
        assert_eq!(
            short_name("part_03::reactor::Reactor::dispatch_read::{{closure}}"),
            "dispatch_read::{closure}"
        );
        assert_eq!(short_name("do_call<core::X<u8>, ()>"), "do_call");
    }

    #[test]
    fn only_files_of_the_workspace_count() {
        assert_eq!(
            workspace_path("/home/me/work/parts/part-03/src/reactor.rs:12:5").as_deref(),
            Some("parts/part-03/src/reactor.rs:12:5")
        );
        // The C library's frames name relative paths that are not here.
        assert_eq!(workspace_path("./csu/../csu/libc-start.c:360:3"), None);
        assert_eq!(workspace_path("/rustc/abc/library/std/src/rt.rs:1:2"), None);
    }

    #[test]
    fn the_stack_from_here_ends_with_this_test() {
        let frames = workspace_stack();
        // Built with line tables (the dev profile), the innermost frame is
        // this function; without debug information there are no frames.
        if let Some(last) = frames.last() {
            assert_eq!(last.location.split(':').next(), Some(file!()));
            assert!(last.function.contains("the_stack_from_here"), "{frames:?}");
        }
    }
}
