//! The layers between the reactor and a protocol, seen from inside.
//!
//! [`layers`] captures the call stack where it is called and keeps the
//! frames that come from this workspace's own source files, outermost
//! first, each with the layer it belongs to: the **program** (`main`), the
//! **reactor** (part 3), the **transport** (this part's connection and
//! connector) and the **protocol** (everything else: the code the program
//! plugged in). Called from inside `data_received`, it shows the path every
//! byte of poetry takes: the reactor's loop, the connection's `do_read`, the
//! protocol.
//!
//! Frames of the standard library, of other crates and of the C runtime
//! are left out, and so are columns and addresses, so the output has the
//! same shape on every run. Source locations come from debug information:
//! in a build without it (a plain release build) the list is empty.

use std::backtrace::Backtrace;
use std::cell::Cell;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::rc::Rc;

use part_03::{Disconnect, Reactor};

use crate::{ClientFactory, Connector, Protocol};

/// Which of the layers a frame belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// The program's `main`.
    Program,
    /// The reactor of part 3: its loop and the code that calls callbacks.
    Reactor,
    /// The connection and the connector of this part.
    Transport,
    /// The protocol and whatever else the program plugged in.
    Protocol,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Layer::Program => "program",
            Layer::Reactor => "reactor",
            Layer::Transport => "transport",
            Layer::Protocol => "protocol",
        })
    }
}

/// One frame of the stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The layer it belongs to.
    pub layer: Layer,
    /// The function, shortened: `run_loop`, `Connection::do_read`,
    /// `dispatch_read::{closure}`.
    pub function: String,
    /// The source file, relative to the workspace root, and the line.
    pub location: String,
}

// ANCHOR: layers
/// The workspace's frames of the current stack, outermost first, without
/// this function's own. (A frame is the workspace's when its source file
/// is under `parts/`; the standard library's files are under `/rustc/`,
/// other crates' in cargo's registry.)
#[inline(never)]
pub fn layers() -> Vec<Frame> {
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
        let function = short_name(name);
        if function == "layers" && place.starts_with("parts/part-05/src/stack.rs") {
            continue;
        }
        frames.push((function, without_column(&place)));
    }
    // Outermost first, and each frame's layer.
    frames.reverse();
    let mut inside_reactor = false;
    frames
        .into_iter()
        .map(|(function, location)| {
            let layer = layer_of(&location, inside_reactor);
            inside_reactor |= layer == Layer::Reactor;
            Frame {
                layer,
                function,
                location,
            }
        })
        .collect()
}
// ANCHOR_END: layers

/// Prints the frames, one a line: layer, function, source line.
pub fn print_layers(frames: &[Frame]) {
    let width = frames.iter().map(|f| f.function.len()).max().unwrap_or(0);
    for frame in frames {
        println!(
            "  {:<9}  {:<width$}  {}",
            frame.layer, frame.function, frame.location
        );
    }
}

// ANCHOR: show_stack
/// A protocol that, when its first bytes arrive, prints the stack it was
/// called on and stops the reactor: client 2.0's `data_received`, seen from
/// the inside.
pub struct ShowStack {
    factory: Rc<ShowStackFactory>,
}

impl Protocol for ShowStack {
    fn data_received(&mut self, data: &[u8]) {
        // Once: printing takes a while, and more poetry may come meanwhile.
        if self.factory.shown.replace(true) {
            return;
        }
        println!("Inside data_received, with {} bytes of poetry.", data.len());
        println!("The stack, outermost call first:");
        print_layers(&layers());
        let _ = self.factory.reactor.stop();
    }
}
// ANCHOR_END: show_stack

/// Makes a [`ShowStack`] for each connection; stops the reactor if every
/// connection fails or ends before any poetry arrives.
pub struct ShowStackFactory {
    reactor: Reactor,
    left: Cell<usize>,
    shown: Cell<bool>,
}

impl ShowStackFactory {
    /// A factory for `connections` connections.
    pub fn new(reactor: &Reactor, connections: usize) -> Rc<ShowStackFactory> {
        Rc::new(ShowStackFactory {
            reactor: reactor.clone(),
            left: Cell::new(connections),
            shown: Cell::new(false),
        })
    }

    /// Whether the stack was printed.
    pub fn shown(&self) -> bool {
        self.shown.get()
    }

    fn one_less(&self) {
        self.left.set(self.left.get().saturating_sub(1));
        if self.left.get() == 0 {
            let _ = self.reactor.stop();
        }
    }
}

impl ClientFactory for ShowStackFactory {
    fn build_protocol(self: Rc<Self>, _addr: SocketAddr) -> Box<dyn Protocol> {
        Box::new(ShowStack { factory: self })
    }

    fn client_connection_failed(&self, connector: &Connector, reason: io::Error) {
        eprintln!("Failed to connect to {}: {reason}", connector.addr());
        self.one_less();
    }

    fn client_connection_lost(&self, connector: &Connector, _reason: Disconnect) {
        if !self.shown() {
            eprintln!(
                "{} closed the connection without sending poetry",
                connector.addr()
            );
        }
        self.one_less();
    }
}

/// `parts/part-NN/…` for a file of this workspace, `None` for any other.
/// The backtrace names a file under the current directory relative to it
/// (`./src/main.rs`), and most others by their absolute path. Some (the C
/// library's) are relative paths from elsewhere, so a relative path counts
/// only if the file is really there.
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

/// The layer of a frame, told by its source file. Frames that are neither
/// the reactor's nor the transport's are the program's until the reactor
/// is entered, and the protocol's after: whatever the reactor calls is code
/// the program plugged in.
fn layer_of(place: &str, inside_reactor: bool) -> Layer {
    if place.starts_with("parts/part-03/") {
        Layer::Reactor
    } else if place.starts_with("parts/part-05/src/transport.rs")
        || place.starts_with("parts/part-05/src/connector.rs")
    {
        Layer::Transport
    } else if inside_reactor {
        Layer::Protocol
    } else {
        Layer::Program
    }
}

/// `<part_05::transport::Connection as part_03::ReadDescriptor>::do_read`
/// becomes `Connection::do_read`; `part_03::report::guarded` becomes
/// `guarded`; `{closure#0}` becomes `{closure}`. (Debug information names
/// some frames in full and others by their last name only.)
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
    fn layers_are_told_by_their_files() {
        assert_eq!(
            layer_of("parts/part-03/src/reactor.rs:1", false),
            Layer::Reactor
        );
        assert_eq!(
            layer_of("parts/part-05/src/transport.rs:9", true),
            Layer::Transport
        );
        assert_eq!(
            layer_of("parts/part-05/src/main.rs:9", false),
            Layer::Program
        );
        assert_eq!(
            layer_of("parts/part-05/src/main.rs:9", true),
            Layer::Protocol
        );
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
        let frames = layers();
        // Built with line tables (the dev profile), the innermost frame is
        // this function; without debug information there are no frames.
        if let Some(last) = frames.last() {
            assert_eq!(last.location.split(':').next(), Some(file!()));
            assert!(last.function.contains("the_stack_from_here"), "{frames:?}");
        }
    }
}
