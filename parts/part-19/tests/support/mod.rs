//! Helpers the building blocks' tests share.

#![allow(dead_code)] // each test file uses some of them

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use part_07::{Deferred, Failure, UnhandledGuard, on_unhandled};

/// Where a deferred's outcome lands once it fires.
pub type Seen<T> = Rc<RefCell<Option<Result<T, Failure>>>>;

/// Adds a last step to `d` that stores its outcome.
pub fn watch<T: 'static>(d: Deferred<T>) -> Seen<T> {
    let seen: Seen<T> = Rc::default();
    let slot = Rc::clone(&seen);
    let _ = d.add_both(move |outcome: Result<T, Failure>| {
        *slot.borrow_mut() = Some(outcome);
    });
    seen
}

/// The value seen, if a value was.
pub fn value<T: Clone>(seen: &Seen<T>) -> Option<T> {
    seen.borrow()
        .as_ref()
        .and_then(|o| o.as_ref().ok().cloned())
}

/// The failure seen, if a failure was.
pub fn failure<T>(seen: &Seen<T>) -> Option<Failure> {
    seen.borrow()
        .as_ref()
        .and_then(|o| o.as_ref().err().cloned())
}

/// Counts the failures reported as unhandled while the guard lives.
pub fn count_unhandled() -> (UnhandledGuard, Rc<Cell<u32>>) {
    let count = Rc::new(Cell::new(0));
    let counted = Rc::clone(&count);
    (on_unhandled(move |_| counted.set(counted.get() + 1)), count)
}

/// A current-thread tokio runtime whose time is paused: it jumps to the
/// next timer when every task waits, as our virtual clock does.
pub fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime")
}

/// Counts its drops: put one in a future to see that it was dropped.
pub struct DropFlag(pub Rc<Cell<u32>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}
