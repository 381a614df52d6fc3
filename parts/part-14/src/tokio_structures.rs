//! The deferred dict's counterpart on tokio: [`AsyncDict`], a map whose
//! `get` is an `async fn` that returns when the key is set.
//!
//! Each key has a `tokio::sync::watch` channel whose value starts as `None`.
//! Setting the key sends `Some(value)`; a reader subscribes to the key's
//! channel and waits until the value is `Some`. A reader who gives up drops
//! its future, and with it its receiver: that is cancellation in async Rust,
//! and it needs no code here.
//!
//! (The deferred queue's counterpart needs no module of its own: it is a
//! `tokio::sync::mpsc` channel. The tests of `structures` show it.)

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

// ANCHOR: async_dict
/// A map whose lookups wait until the key is set. Share it between tasks in
/// an `Arc`.
pub struct AsyncDict<K, V> {
    /// One channel per key that has been set or asked for.
    slots: Mutex<HashMap<K, watch::Sender<Option<V>>>>,
}

impl<K: Eq + Hash, V: Clone> AsyncDict<K, V> {
    /// An empty dict.
    pub fn new() -> Self {
        AsyncDict {
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// Sets `key` to `value`, waking every reader waiting for it. Returns
    /// the value it replaced.
    pub fn set(&self, key: K, value: V) -> Option<V> {
        self.lock()
            .entry(key)
            .or_insert_with(|| watch::Sender::new(None))
            .send_replace(Some(value))
    }

    /// The value of `key`, as soon as it is set.
    pub async fn get<Q>(&self, key: &Q) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let mut receiver = {
            let mut slots = self.lock();
            match slots.get(key) {
                Some(slot) => slot.subscribe(),
                None => {
                    let (slot, receiver) = watch::channel(None);
                    slots.insert(key.to_owned(), slot);
                    receiver
                }
            }
        }; // the lock ends here: never hold it across an await
        let value = receiver
            .wait_for(Option::is_some)
            .await
            .expect("a key's sender lives as long as the dict, which this future borrows");
        value.clone().expect("wait_for waited until it was set")
    }
}
// ANCHOR_END: async_dict

impl<K: Eq + Hash, V: Clone> AsyncDict<K, V> {
    /// Unsets `key` and returns its value, if it had one. Readers waiting
    /// afterwards wait for the next `set`, and so does a reader woken by
    /// the last `set` that has not run yet: a `watch` channel keeps only
    /// its latest value. (The deferred dict hands the value to every
    /// waiting reader inside `set`, so a later `remove` cannot take it
    /// back from them.)
    pub fn remove<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.lock().get(key)?.send_replace(None)
    }

    /// Whether `key` is set.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.lock()
            .get(key)
            .is_some_and(|slot| slot.borrow().is_some())
    }

    /// The map, locked. Nothing in this type panics while holding it, but a
    /// poisoned lock would still hold a consistent map, so take it anyway.
    fn lock(&self) -> MutexGuard<'_, HashMap<K, watch::Sender<Option<V>>>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Eq + Hash, V: Clone> Default for AsyncDict<K, V> {
    fn default() -> Self {
        AsyncDict::new()
    }
}
