//! Client 6.0's chain: download a poem, have a transformation server
//! transform it, fall back to the original if that fails.
//!
//! ```text
//! get_poetry ──► bytes as text ──► proxy.xform(name, poem) ──► the poem
//!                                     └─ fails? ─► the original ─┘
//! ```
//!
//! The third step's callback does not return a poem: it returns the
//! *deferred* that `xform` gave it. The outer chain then waits for that
//! inner deferred, and goes on with whatever it fires with. Part 13 is
//! about exactly this; here it is enough that it works. The inner deferred
//! has its own errback, added before it is returned, which turns a failed
//! transform into the original poem, so a transformation server that is
//! down, or does not know the transform, costs the client nothing but the
//! transformation.

use part_03::Reactor;
use part_06::Task;
use part_07::{Deferred, Failure};
use part_08::get_poetry;

use crate::proxy::TransformProxy;

// ANCHOR: chain
/// Downloads `task`'s poem and has `proxy` apply the transform `name` to
/// it. The deferred fires with the transformed poem, or with the original
/// if the transform failed (a line on the task's error stream says so),
/// or fails if the download did.
pub fn get_transformed_poetry(
    reactor: &Reactor,
    task: &Task,
    proxy: &TransformProxy,
    name: &str,
) -> Deferred<String> {
    let (proxy, name, task) = (proxy.clone(), name.to_string(), task.clone());
    get_poetry(reactor, &task)
        .add_callback(|poem: Vec<u8>| Ok(String::from_utf8(poem)?))
        .add_callback(move |poem: String| {
            // The callback returns a deferred: the outer chain waits on it.
            let inner = proxy.xform(&name, &poem);
            let (say, name_again) = (task.clone(), name.clone());
            let transformed = move |new: String| {
                say.printer
                    .out(&format!("Task {}: transformed by {name_again}", say.number));
                Ok(new)
            };
            let keep_the_original = move |failure: Failure| {
                task.printer.err(&format!(
                    "Task {}: {name} failed ({}); keeping the original poem",
                    task.number,
                    failure.message()
                ));
                Ok(poem)
            };
            inner.add_callbacks(transformed, keep_the_original)
        })
}
// ANCHOR_END: chain
