//! The stack from inside a deferred's callback, layer by layer.
//!
//! Part 5 labelled the frames between the reactor and a protocol; part 6
//! added the code inside `get_poetry`. Client 4.0 puts two more layers on
//! top: the factory fires a deferred, and the deferred's chain calls the
//! program's callback. [`layers`] takes part 3's view of the stack (the
//! frames from this workspace's source files, outermost first) and names
//! the layer of each frame by the file it comes from.
//!
//! Source locations come from debug information: in a build without it
//! (a plain release build) the list is empty.

use std::fmt;

use part_03::stack::{Layered, label, print_layered, workspace_stack};

/// Which layer a frame belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// The program, before the reactor runs: `main`.
    Program,
    /// The reactor of part 3.
    Reactor,
    /// Part 5's connection and connector.
    Transport,
    /// Part 6's poetry protocol.
    Protocol,
    /// This part's factory, which fires the deferred.
    Factory,
    /// Part 7's deferred: the trigger and the chain it runs.
    Deferred,
    /// The program's own code, called back by the deferred.
    Callback,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Layer::Program => "program",
            Layer::Reactor => "reactor",
            Layer::Transport => "transport",
            Layer::Protocol => "protocol",
            Layer::Factory => "factory",
            Layer::Deferred => "deferred",
            Layer::Callback => "callback",
        })
    }
}

/// One frame of the stack, with its layer.
pub type Frame = Layered<Layer>;

// ANCHOR: layers
/// The workspace's frames of the current stack, outermost first, without
/// this function's own, each with its layer.
#[inline(never)]
pub fn layers() -> Vec<Frame> {
    let mut frames = label(workspace_stack(), "layers", |place, inside_reactor| {
        let layer = layer_of(place, inside_reactor);
        (layer, layer == Layer::Reactor)
    });
    // The panic guard every callback runs under belongs to whoever called it.
    for i in 1..frames.len() {
        if frames[i].location.starts_with(PANIC_GUARD) {
            frames[i].layer = frames[i - 1].layer;
        }
    }
    frames
}

/// Part 3's file with the panic guard that the reactor and the deferred
/// both run callbacks under.
const PANIC_GUARD: &str = "parts/part-03/src/report.rs";
// ANCHOR_END: layers

/// Prints the frames, one a line: layer, function, source line.
pub fn print_layers(frames: &[Frame]) {
    print_layered(frames);
}

/// The layers in the order they appear, each once: what a reader should
/// see in a stack printed from inside a callback.
pub fn layer_order(frames: &[Frame]) -> Vec<Layer> {
    let mut order: Vec<Layer> = frames.iter().map(|frame| frame.layer).collect();
    order.dedup();
    order
}

/// The layer of a frame, told by its source file. The program's own files
/// are the program until the reactor is entered, and callbacks after.
fn layer_of(place: &str, inside_reactor: bool) -> Layer {
    let file = place.split(':').next().unwrap_or(place);
    match file {
        _ if file.starts_with("parts/part-03/") => Layer::Reactor,
        "parts/part-05/src/transport.rs" | "parts/part-05/src/connector.rs" => Layer::Transport,
        "parts/part-06/src/protocol.rs" => Layer::Protocol,
        "parts/part-08/src/poetry.rs" => Layer::Factory,
        _ if file.starts_with("parts/part-07/") => Layer::Deferred,
        _ if inside_reactor => Layer::Callback,
        _ => Layer::Program,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_are_told_by_their_files() {
        let cases = [
            ("parts/part-03/src/reactor.rs:1", false, Layer::Reactor),
            ("parts/part-05/src/transport.rs:9", true, Layer::Transport),
            ("parts/part-06/src/protocol.rs:60", true, Layer::Protocol),
            ("parts/part-08/src/poetry.rs:70", true, Layer::Factory),
            ("parts/part-07/src/deferred.rs:9", true, Layer::Deferred),
            (
                "parts/part-08/src/bin/client-4-stack.rs:9",
                true,
                Layer::Callback,
            ),
            (
                "parts/part-08/src/bin/client-4-stack.rs:9",
                false,
                Layer::Program,
            ),
        ];
        for (place, inside, layer) in cases {
            assert_eq!(layer_of(place, inside), layer, "{place}");
        }
    }

    #[test]
    fn the_order_names_each_layer_once() {
        let frame = |layer| Frame {
            layer,
            function: String::new(),
            location: String::new(),
        };
        let frames = [
            Layer::Program,
            Layer::Reactor,
            Layer::Reactor,
            Layer::Callback,
        ]
        .map(frame);
        assert_eq!(
            layer_order(&frames),
            [Layer::Program, Layer::Reactor, Layer::Callback]
        );
    }
}
