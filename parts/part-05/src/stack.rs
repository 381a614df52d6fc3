//! The layers between the reactor and a protocol, seen from inside.
//!
//! [`layers`] takes part 3's view of the call stack (the frames from this
//! workspace's own source files, outermost first) and says which layer
//! each frame belongs to: the **program** (`main`), the
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

use std::cell::Cell;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use part_03::stack::{Layered, label, print_layered, workspace_stack};
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

/// One frame of the stack, with its layer.
pub type Frame = Layered<Layer>;

// ANCHOR: layers
/// The workspace's frames of the current stack, outermost first, without
/// this function's own, each with the layer it belongs to. (The frames come
/// from part 3's [`workspace_stack`].)
#[inline(never)]
pub fn layers() -> Vec<Frame> {
    label(workspace_stack(), "layers", |place, inside_reactor| {
        let layer = layer_of(place, inside_reactor);
        (layer, layer == Layer::Reactor)
    })
}
// ANCHOR_END: layers

/// Prints the frames, one a line: layer, function, source line.
pub fn print_layers(frames: &[Frame]) {
    print_layered(frames);
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

#[cfg(test)]
mod tests {
    use super::*;

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
