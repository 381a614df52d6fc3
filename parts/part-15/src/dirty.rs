//! The dirty-reactor check: what a test left behind.
//!
//! A test that returns before its connections are closed, its ports shut
//! and its timers cancelled has not really finished: what it started
//! would go on into the next test, and a failure there would be blamed on
//! the wrong test. Twisted's trial calls such a reactor *dirty* and fails
//! the test that dirtied it. So does this harness, and it names what was
//! left, as the reactor itself describes it: `connection to
//! 127.0.0.1:4242`, `listening port 127.0.0.1:4242`, `timed call
//! scheduled at tests/poetry.rs:31`.

use part_03::{DelayedCall, Reactor};

// ANCHOR: leftovers
/// What is left in `reactor`: every descriptor it watches (connections,
/// connection attempts, listening ports), then every timed call still to
/// come, each as one line. Empty if the reactor is clean.
pub fn leftovers(reactor: &Reactor) -> Vec<String> {
    let mut watched: Vec<String> = reactor
        .readers()
        .iter()
        .map(|reader| reader.borrow().log_prefix())
        .chain(reactor.writers().iter().map(|w| w.borrow().log_prefix()))
        .collect();
    // A connection that is both read and written is one thing left.
    watched.sort();
    watched.dedup();
    let timers = reactor.pending_calls();
    watched.extend(timers.iter().map(DelayedCall::what));
    watched
}
// ANCHOR_END: leftovers

/// Clears what a test left: cancels its timed calls and stops watching its
/// descriptors (dropping a connection closes its socket), so that nothing
/// it started outlives it.
pub fn sweep(reactor: &Reactor) {
    for call in reactor.pending_calls() {
        let _ = call.cancel();
    }
    for reader in reactor.readers() {
        let fd = reader.borrow().fileno();
        let _ = reactor.remove_reader(fd);
    }
    for writer in reactor.writers() {
        let fd = writer.borrow().fileno();
        let _ = reactor.remove_writer(fd);
    }
}
