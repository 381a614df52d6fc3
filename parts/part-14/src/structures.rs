//! Beyond the series: data structures whose answers are deferreds.
//!
//! A queue or a map that someone else fills has the same problem as the
//! proxy's cache: what should a reader get when the thing it asks for is not
//! there yet? A synchronous structure can only refuse (an error) or make the
//! reader wait (block). On the reactor neither is acceptable, and neither is
//! needed: the reader is given a [`Deferred`] at once, fired already when
//! the answer is there (part 14's [`succeed`]) and fired later, by whoever
//! supplies the answer, when it is not.
//!
//! - [`DeferredQueue`]: `get` returns a deferred for the next item; `put`
//!   hands an item to the reader who has waited longest, or keeps it for the
//!   next `get`. Limits on the items kept and on the readers waiting are
//!   optional, as in Twisted's class of the same name.
//! - [`DeferredDict`]: `get(key)` returns a deferred for the key's value;
//!   `set` stores a value and gives it to everyone who asked for that key.
//!
//! Both are single-threaded handles (an `Rc` inside), cheap to clone, meant
//! to be shared by the callbacks of one reactor. A waiting `get` can be
//! cancelled (part 19's [`Deferred::cancel`]): it is taken out of the
//! structure, so no later `put` or `set` is wasted on it, and its deferred
//! fails with [`CancelledError`](part_07::CancelledError).
//!
//! Firing a deferred runs its callbacks there and then, and they may call
//! straight back into the structure that fired it. So neither type holds a
//! borrow of its state while it fires one: it takes the waiting trigger out,
//! lets go of the `RefCell`, and only then fires.

// `std::borrow::Borrow` is named in full where it is needed: imported, its
// `borrow` method would stand in the way of `RefCell::borrow`.
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::error::Error;
use std::fmt;
use std::hash::Hash;
use std::rc::{Rc, Weak};

use part_07::{Deferred, Trigger, fail, succeed};

/// Someone waiting for an answer: the trigger of the deferred they were
/// given, and a number that tells them apart, so that a cancelled one can be
/// found and taken out.
struct Waiter<T> {
    id: u64,
    trigger: Trigger<T>,
}

/// Why [`DeferredQueue::put`] refused an item: the queue was holding as many
/// items as its size allows. The item comes back, so nothing is lost.
pub struct QueueOverflow<T> {
    /// The item that was not queued.
    pub item: T,
    /// The queue's size limit.
    pub limit: usize,
}

impl<T> fmt::Display for QueueOverflow<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the queue is full (it holds at most {})", self.limit)
    }
}

impl<T> fmt::Debug for QueueOverflow<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueOverflow")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl<T> Error for QueueOverflow<T> {}

/// Why the deferred of a [`DeferredQueue::get`] failed at once: as many
/// readers as the queue's backlog allows were waiting already.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many readers are waiting (at most {limit} may wait)")]
pub struct QueueUnderflow {
    /// The queue's backlog limit.
    pub limit: usize,
}

// ANCHOR: queue
/// A first-in, first-out queue whose `get` returns a deferred.
///
/// Items wait in the queue when nobody is asking; readers wait in it when
/// there are no items. Never both: a `put` with readers waiting goes
/// straight to the first of them, and a `get` with items waiting takes the
/// first at once.
pub struct DeferredQueue<T> {
    state: Rc<RefCell<QueueState<T>>>,
}

struct QueueState<T> {
    /// Items put and not yet taken, oldest first.
    items: VecDeque<T>,
    /// Readers who asked and got nothing yet, in the order they asked.
    readers: VecDeque<Waiter<T>>,
    /// The most items `items` may hold (`None`: no limit).
    size: Option<usize>,
    /// The most readers `readers` may hold (`None`: no limit).
    backlog: Option<usize>,
    next_id: u64,
}
// ANCHOR_END: queue

impl<T> Clone for DeferredQueue<T> {
    fn clone(&self) -> Self {
        DeferredQueue {
            state: Rc::clone(&self.state),
        }
    }
}

impl<T: 'static> Default for DeferredQueue<T> {
    fn default() -> Self {
        DeferredQueue::new()
    }
}

impl<T: 'static> DeferredQueue<T> {
    /// An empty queue with no limits.
    pub fn new() -> Self {
        DeferredQueue::with_limits(None, None)
    }

    /// An empty queue that holds at most `size` items (a `put` beyond that
    /// is refused) and lets at most `backlog` readers wait (a `get` beyond
    /// that fails). `None` means no limit.
    pub fn with_limits(size: Option<usize>, backlog: Option<usize>) -> Self {
        DeferredQueue {
            state: Rc::new(RefCell::new(QueueState {
                items: VecDeque::new(),
                readers: VecDeque::new(),
                size,
                backlog,
                next_id: 0,
            })),
        }
    }

    // ANCHOR: queue_get
    /// The next item, as a deferred: fired already if an item is waiting,
    /// fired by a later [`put`](DeferredQueue::put) otherwise. If the
    /// backlog is full, the deferred has failed already with
    /// [`QueueUnderflow`]. To stop waiting, cancel the deferred; dropping it
    /// is not enough, since the queue would still give it an item.
    pub fn get(&self) -> Deferred<T> {
        let mut state = self.state.borrow_mut();
        if let Some(item) = state.items.pop_front() {
            drop(state);
            return succeed(item);
        }
        if let Some(limit) = state.backlog
            && state.readers.len() >= limit
        {
            drop(state);
            return fail(QueueUnderflow { limit });
        }
        let id = state.next_id;
        state.next_id += 1;
        // The canceller holds the queue weakly: a reader who never gets an
        // item must not keep the queue alive, nor the queue the reader.
        let queue = Rc::downgrade(&self.state);
        let (answer, trigger) =
            Deferred::with_canceller(move |_: &Trigger<T>| drop(forget_reader(&queue, id)));
        state.readers.push_back(Waiter { id, trigger });
        answer
    }
    // ANCHOR_END: queue_get

    // ANCHOR: queue_put
    /// Gives `item` to the reader who has waited longest, or, if nobody is
    /// waiting, keeps it for the next [`get`](DeferredQueue::get). A full
    /// queue refuses it and hands it back in the error.
    ///
    /// The reader's callbacks run before `put` returns, and may use this
    /// queue again.
    pub fn put(&self, item: T) -> Result<(), QueueOverflow<T>> {
        let reader = {
            let mut state = self.state.borrow_mut();
            match state.readers.pop_front() {
                Some(reader) => reader,
                None => {
                    if let Some(limit) = state.size
                        && state.items.len() >= limit
                    {
                        return Err(QueueOverflow { item, limit });
                    }
                    state.items.push_back(item);
                    return Ok(());
                }
            }
        }; // the borrow ends here, before any reader's code runs
        reader
            .trigger
            .callback(item)
            .expect("a waiting reader has not fired: cancelling one takes it out first");
        Ok(())
    }
    // ANCHOR_END: queue_put

    /// How many items are waiting for a reader.
    pub fn len(&self) -> usize {
        self.state.borrow().items.len()
    }

    /// Whether no item is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many readers are waiting for an item.
    pub fn readers(&self) -> usize {
        self.state.borrow().readers.len()
    }

    /// The most items the queue holds (`None`: no limit).
    pub fn size(&self) -> Option<usize> {
        self.state.borrow().size
    }

    /// The most readers that may wait (`None`: no limit).
    pub fn backlog(&self) -> Option<usize> {
        self.state.borrow().backlog
    }
}

// ANCHOR: queue_cancel
/// The canceller of a waiting `get`: takes the reader `id` out of the
/// queue, if the queue still exists. The waiter is returned rather than
/// dropped here, so that it is dropped after the borrow has ended.
fn forget_reader<T>(queue: &Weak<RefCell<QueueState<T>>>, id: u64) -> Option<Waiter<T>> {
    let queue = queue.upgrade()?;
    let mut state = queue.borrow_mut();
    let at = state.readers.iter().position(|reader| reader.id == id)?;
    state.readers.remove(at)
}
// ANCHOR_END: queue_cancel

// ANCHOR: dict
/// A map whose lookups return deferreds: a value that is set comes at
/// once, a value that is not comes when somebody sets it.
///
/// A key has a value or readers waiting for one, never both: setting it
/// gives the value to everyone waiting.
pub struct DeferredDict<K, V> {
    state: Rc<RefCell<DictState<K, V>>>,
}

struct DictState<K, V> {
    /// The keys that are set.
    values: HashMap<K, V>,
    /// For each key that is not set and has been asked for, who asked, in
    /// the order they asked.
    waiting: HashMap<K, Vec<Waiter<V>>>,
    next_id: u64,
}
// ANCHOR_END: dict

impl<K, V> Clone for DeferredDict<K, V> {
    fn clone(&self) -> Self {
        DeferredDict {
            state: Rc::clone(&self.state),
        }
    }
}

impl<K: Eq + Hash + Clone + 'static, V: Clone + 'static> Default for DeferredDict<K, V> {
    fn default() -> Self {
        DeferredDict::new()
    }
}

impl<K: Eq + Hash + Clone + 'static, V: Clone + 'static> DeferredDict<K, V> {
    /// An empty dict.
    pub fn new() -> Self {
        DeferredDict {
            state: Rc::new(RefCell::new(DictState {
                values: HashMap::new(),
                waiting: HashMap::new(),
                next_id: 0,
            })),
        }
    }

    // ANCHOR: dict_get
    /// The value of `key`, as a deferred: fired already with a copy if the
    /// key is set, fired by [`set`](DeferredDict::set) otherwise. Cancel the
    /// deferred to stop waiting.
    pub fn get<Q>(&self, key: &Q) -> Deferred<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let mut state = self.state.borrow_mut();
        if let Some(value) = state.values.get(key) {
            let value = value.clone();
            drop(state);
            return succeed(value);
        }
        let id = state.next_id;
        state.next_id += 1;
        let dict = Rc::downgrade(&self.state);
        let owned = key.to_owned();
        let (answer, trigger) = Deferred::with_canceller({
            let key = owned.clone();
            move |_: &Trigger<V>| drop(forget_waiter(&dict, &key, id))
        });
        state
            .waiting
            .entry(owned)
            .or_default()
            .push(Waiter { id, trigger });
        answer
    }
    // ANCHOR_END: dict_get

    // ANCHOR: dict_set
    /// Sets `key` to `value`, then gives a copy to every reader waiting for
    /// `key`, in the order they asked. Returns the value it replaced.
    ///
    /// The readers' callbacks run before `set` returns, and may use this
    /// dict again; each of the readers who were waiting when `set` was
    /// called gets this `value`, even if a callback sets the key again.
    pub fn set(&self, key: K, value: V) -> Option<V> {
        let (previous, waiting) = {
            let mut state = self.state.borrow_mut();
            let waiting = state.waiting.remove(&key).unwrap_or_default();
            (state.values.insert(key, value.clone()), waiting)
        }; // the borrow ends here, before any reader's code runs
        for reader in waiting {
            // An earlier reader's callback may have cancelled this one:
            // taken out of the map already, it failed with nobody to take
            // it out of this list. Its answer is no longer wanted.
            let _ = reader.trigger.callback(value.clone());
        }
        previous
    }
    // ANCHOR_END: dict_set

    /// Unsets `key` and returns its value, if it had one. Readers who ask
    /// for it afterwards wait for the next `set`.
    pub fn remove<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.state.borrow_mut().values.remove(key)
    }

    /// Whether `key` is set.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.state.borrow().values.contains_key(key)
    }

    /// How many keys are set.
    pub fn len(&self) -> usize {
        self.state.borrow().values.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many readers are waiting for `key`.
    pub fn waiting<Q>(&self, key: &Q) -> usize
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.state.borrow().waiting.get(key).map_or(0, Vec::len)
    }
}

/// The canceller of a waiting `get`: takes reader `id` out of the list for
/// `key` (and the list out of the map, if it is left empty). As for the
/// queue, the waiter is returned, to be dropped after the borrow.
fn forget_waiter<K: Eq + Hash, V>(
    dict: &Weak<RefCell<DictState<K, V>>>,
    key: &K,
    id: u64,
) -> Option<Waiter<V>> {
    let dict = dict.upgrade()?;
    let mut state = dict.borrow_mut();
    let readers = state.waiting.get_mut(key)?;
    let at = readers.iter().position(|reader| reader.id == id)?;
    let waiter = readers.remove(at);
    if readers.is_empty() {
        state.waiting.remove(key);
    }
    Some(waiter)
}
