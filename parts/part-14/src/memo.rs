//! Memoising with promises: a cache that holds deferreds' answers by key,
//! and, while an answer is on its way, the callers waiting for it.
//!
//! A cache of plain values has a blind spot: between the first call for a
//! key and its answer, the cache has nothing to give, so a second caller
//! starts the same work again, and a third, and so on. A cache of
//! *promises* has something from the first moment: the call under way.
//! [`Memo::get`] therefore has three answers, which are proxy 2.0's three
//! states once per key:
//!
//! - the key's answer is known: a deferred fired already with a clone;
//! - a call for the key is under way: a new deferred that fires with that
//!   call's outcome (the function is not called again);
//! - neither: the function is called, and the caller waits for it.
//!
//! Three more rules make it safe to use:
//!
//! - **A failure is not cached.** Every caller waiting gets the failure,
//!   and the key is forgotten, so the next `get` calls the function again.
//!   A cached failure would turn one lost connection into a permanent one.
//! - **Giving up is per caller.** Cancelling the deferred `get` returned
//!   takes that one caller out of the wait; the others still get the
//!   answer. When the *last* waiting caller gives up, nobody wants the
//!   answer any more: the call itself is cancelled and the key forgotten.
//! - **Eviction is the owner's business.** Answers stay until
//!   [`Memo::forget`] removes them.
//!
//! A `Memo` is a cheap handle (`Rc`): clones share one cache.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::rc::Rc;

use part_07::{CancelHandle, Deferred, Failure, Trigger, succeed};

// ANCHOR: memo
/// A function's answers, remembered by key: at most one call per key is
/// ever under way, and a known answer is handed out without a call.
pub struct Memo<K, V>(Rc<Inner<K, V>>);

/// What the memo knows about one key.
enum Entry<V> {
    /// Call number `call` is under way; these callers wait for it.
    Waiting {
        call: u64,
        waiters: Vec<(u64, Trigger<V>)>,
        handle: Option<CancelHandle>,
    },
    /// The answer.
    Known(V),
}
// ANCHOR_END: memo

/// The function a memo remembers.
type Function<K, V> = Box<dyn Fn(&K) -> Deferred<V>>;

struct Inner<K, V> {
    function: Function<K, V>,
    entries: RefCell<HashMap<K, Entry<V>>>,
    /// Numbers calls and waiters, so that a late answer or a late cancel
    /// cannot touch an entry that has been replaced since.
    next: Cell<u64>,
    calls: Cell<usize>,
}

impl<K, V> Clone for Memo<K, V> {
    fn clone(&self) -> Memo<K, V> {
        Memo(Rc::clone(&self.0))
    }
}

impl<K: Clone + Eq + Hash + 'static, V: Clone + 'static> Memo<K, V> {
    /// Remembers the answers of `function`, which starts the work for a
    /// key and returns a deferred of its outcome.
    pub fn new(function: impl Fn(&K) -> Deferred<V> + 'static) -> Memo<K, V> {
        Memo(Rc::new(Inner {
            function: Box::new(function),
            entries: RefCell::new(HashMap::new()),
            next: Cell::new(0),
            calls: Cell::new(0),
        }))
    }

    // ANCHOR: get
    /// The answer for `key`: known (a deferred fired already), on its way
    /// (wait with the others), or asked for now.
    pub fn get(&self, key: K) -> Deferred<V> {
        let waiter = self.0.number();
        let weak = Rc::downgrade(&self.0);
        let left_key = key.clone();
        let (answer, trigger) = Deferred::with_canceller(move |_: &Trigger<V>| {
            if let Some(inner) = weak.upgrade() {
                inner.leave(&left_key, waiter);
            }
        });
        let call = {
            let mut entries = self.0.entries.borrow_mut();
            match entries.get_mut(&key) {
                Some(Entry::Known(value)) => return succeed(value.clone()),
                Some(Entry::Waiting { waiters, .. }) => {
                    waiters.push((waiter, trigger));
                    return answer;
                }
                None => {
                    let call = self.0.number();
                    let waiters = vec![(waiter, trigger)];
                    let handle = None;
                    entries.insert(
                        key.clone(),
                        Entry::Waiting {
                            call,
                            waiters,
                            handle,
                        },
                    );
                    call
                }
            }
        };
        // Outside the borrow: the function may answer at once, and the
        // answer's callbacks may call `get` again.
        self.0.calls.set(self.0.calls.get() + 1);
        let work = (self.0.function)(&key);
        self.0.started(&key, call, work.cancel_handle());
        let inner = Rc::clone(&self.0);
        let _ = work.add_both(move |outcome: Result<V, Failure>| inner.settle(&key, call, outcome));
        answer
    }
    // ANCHOR_END: get

    /// Removes `key`'s known answer, so that the next `get` calls the
    /// function again. A call under way is left alone. Returns whether
    /// there was an answer to remove.
    pub fn forget(&self, key: &K) -> bool {
        let mut entries = self.0.entries.borrow_mut();
        if matches!(entries.get(key), Some(Entry::Known(_))) {
            entries.remove(key);
            return true;
        }
        false
    }

    /// How many times the function has been called.
    pub fn calls(&self) -> usize {
        self.0.calls.get()
    }

    /// Whether `key`'s answer is known.
    pub fn is_known(&self, key: &K) -> bool {
        matches!(self.0.entries.borrow().get(key), Some(Entry::Known(_)))
    }

    /// Whether a call for `key` is under way.
    pub fn is_waiting(&self, key: &K) -> bool {
        matches!(
            self.0.entries.borrow().get(key),
            Some(Entry::Waiting { .. })
        )
    }
}

impl<K: Clone + Eq + Hash + 'static, V: Clone + 'static> Inner<K, V> {
    fn number(&self) -> u64 {
        let n = self.next.get();
        self.next.set(n + 1);
        n
    }

    /// Call `call` has started: keep its cancel handle, if it is still
    /// under way (it may have answered already).
    fn started(&self, key: &K, call: u64, work: CancelHandle) {
        if let Some(Entry::Waiting {
            call: c, handle, ..
        }) = self.entries.borrow_mut().get_mut(key)
            && *c == call
        {
            *handle = Some(work);
        }
    }

    // ANCHOR: settle
    /// Call `call` for `key` has answered: remember the value (a failure
    /// is forgotten), then tell every caller waiting, outside the borrow.
    fn settle(&self, key: &K, call: u64, outcome: Result<V, Failure>) {
        let waiters = {
            let mut entries = self.entries.borrow_mut();
            match entries.get(key) {
                Some(Entry::Waiting { call: c, .. }) if *c == call => {}
                // Abandoned (every caller gave up) or replaced since.
                _ => return,
            }
            let previous = match &outcome {
                Ok(value) => entries.insert(key.clone(), Entry::Known(value.clone())),
                Err(_) => entries.remove(key),
            };
            match previous {
                Some(Entry::Waiting { waiters, .. }) => waiters,
                _ => Vec::new(),
            }
        };
        for (_, trigger) in waiters {
            // A caller cancelled meanwhile has fired already: skip it.
            let _ = trigger.fire(outcome.clone());
        }
    }
    // ANCHOR_END: settle

    // ANCHOR: leave
    /// Caller `waiter` of `key` gave up. If it was the last one waiting,
    /// the call is cancelled and the key forgotten.
    fn leave(&self, key: &K, waiter: u64) {
        let abandoned = {
            let mut entries = self.entries.borrow_mut();
            let Some(Entry::Waiting { waiters, .. }) = entries.get_mut(key) else {
                return;
            };
            waiters.retain(|(number, _)| *number != waiter);
            if !waiters.is_empty() {
                return;
            }
            match entries.remove(key) {
                Some(Entry::Waiting { handle, .. }) => handle,
                _ => None,
            }
        };
        if let Some(call) = abandoned {
            call.cancel();
        }
    }
    // ANCHOR_END: leave
}

impl<K, V> fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memo")
            .field("keys", &self.0.entries.borrow().len())
            .field("calls", &self.0.calls.get())
            .finish()
    }
}
