//! Client 6.0's chain, telling what it does as it does it.
//!
//! The chain is part 12's [`get_transformed_poetry`](part_12::get_transformed_poetry),
//! step for step: part 8's `get_poetry`, a callback that turns the bytes
//! into text, and a callback that returns [`TransformProxy::xform`]'s
//! deferred with an errback of its own that falls back to the original
//! poem. What this version adds is a listener, called with a [`Step`] at
//! each moment that matters for part 13, and one more callback at the end
//! of the outer chain, so that the listener hears when the outer chain
//! goes on.
//!
//! One moment cannot be told from inside a callback: the one just after
//! the callback that returns the inner deferred has returned, when the
//! outer chain is paused. The chain asks the reactor to look then (a timed
//! call with no delay, which runs on the reactor's next turn), and reports
//! whether the outer chain's next step has run. It has not: the outer chain
//! is waiting for the transformation server, and the reactor is free.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use part_03::Reactor;
use part_06::Task;
use part_07::{Deferred, Failure};
use part_08::get_poetry;
use part_12::TransformProxy;

/// One moment of client 6.0's chain, for one task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The download finished; the outer chain's first callback got the
    /// poem's bytes and turns them into text.
    Downloaded {
        /// The poem's size.
        bytes: usize,
    },
    /// The second callback sends the poem to the transformation server and
    /// returns `xform`'s deferred (the inner one).
    Sending {
        /// The transform asked for.
        transform: String,
    },
    /// The reactor's next turn after that callback returned: the outer
    /// chain is paused, waiting for the inner deferred.
    Paused {
        /// Whether the outer chain's next step had run by then (it should
        /// not have: that is the point).
        went_on: bool,
    },
    /// The inner deferred fired with the transformed poem.
    Transformed,
    /// The inner deferred failed, and its errback returned the original.
    KeptOriginal {
        /// Why the transform failed.
        reason: String,
    },
    /// The outer chain went on, with what the inner deferred ended with.
    WentOn {
        /// The poem's first line that is not blank.
        first_line: String,
    },
}

/// A poem's first line that is not blank.
pub fn first_line(poem: &str) -> String {
    poem.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

// ANCHOR: told
/// Client 6.0's chain for `task`, with `tell` called at each [`Step`].
/// Fires with the transformed poem, or the original if the transform
/// failed; fails if the download did.
pub fn get_transformed_poetry_told(
    reactor: &Reactor,
    task: &Task,
    proxy: &TransformProxy,
    name: &str,
    tell: impl Fn(Step) + 'static,
) -> Deferred<String> {
    let tell: Rc<dyn Fn(Step)> = Rc::new(tell);
    let went_on = Rc::new(Cell::new(false));
    let (reactor, proxy, name) = (reactor.clone(), proxy.clone(), name.to_string());
    let (tell_1, tell_2, tell_3) = (Rc::clone(&tell), Rc::clone(&tell), tell);
    let looked_at = Rc::clone(&went_on);
    get_poetry(&reactor, task)
        .add_callback(move |poem: Vec<u8>| {
            tell_1(Step::Downloaded { bytes: poem.len() });
            Ok(String::from_utf8(poem)?)
        })
        .add_callback(move |poem: String| {
            // Look again on the reactor's next turn, once this has returned.
            let look = Rc::clone(&tell_2);
            let _ = reactor.call_later(Duration::ZERO, move || {
                look(Step::Paused {
                    went_on: looked_at.get(),
                })
            });
            tell_2(Step::Sending {
                transform: name.clone(),
            });
            let inner = proxy.xform(&name, &poem);
            let (on_poem, on_failure) = (Rc::clone(&tell_2), tell_2);
            // The callback returns a deferred: the outer chain waits for it.
            inner.add_callbacks(
                move |new: String| {
                    on_poem(Step::Transformed);
                    Ok(new)
                },
                move |failure: Failure| {
                    on_failure(Step::KeptOriginal {
                        reason: failure.message(),
                    });
                    Ok(poem)
                },
            )
        })
        .add_callback(move |poem: String| {
            went_on.set(true);
            tell_3(Step::WentOn {
                first_line: first_line(&poem),
            });
            Ok(poem)
        })
}
// ANCHOR_END: told
