//! The memo's counterpart on tokio: [`SharedMemo`], a map from keys to
//! *shared futures*.
//!
//! `futures::future::Shared` is a future that can be cloned: every clone
//! waits for the same inner future, which runs once, and every clone gets
//! a clone of its output. That is exactly the "call under way" of
//! [`Memo`](crate::memo::Memo): the map keeps one clone, each caller awaits
//! another. A shared future that has finished hands out its output at
//! once, so it is also the "known answer".
//!
//! The rules, as on the reactor:
//!
//! - concurrent callers for one key share one computation;
//! - a failure is not cached: the caller that sees an `Err` removes the
//!   entry (if it is still the same one), so the next call starts again;
//! - giving up is dropping the future `get` returned. Unlike the deferred
//!   memo, the map's own clone keeps the computation alive, but nothing
//!   polls it: it is *paused*, not cancelled, and the next caller for the
//!   key resumes it where it stopped.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

/// One computation, shared by every caller for its key.
type Call<V, E> = Shared<BoxFuture<'static, Result<V, E>>>;

/// The function a shared memo remembers: it starts the computation for a
/// key.
type Function<K, V, E> = Box<dyn Fn(&K) -> BoxFuture<'static, Result<V, E>> + Send + Sync>;

// ANCHOR: shared_memo
/// A function's answers by key, on tokio: one computation per key, shared.
pub struct SharedMemo<K, V, E> {
    function: Function<K, V, E>,
    calls: Mutex<HashMap<K, Call<V, E>>>,
}

impl<K, V, E> SharedMemo<K, V, E>
where
    K: Clone + Eq + Hash,
    V: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
{
    /// Remembers the answers of `function`.
    pub fn new(
        function: impl Fn(&K) -> BoxFuture<'static, Result<V, E>> + Send + Sync + 'static,
    ) -> Arc<Self> {
        Arc::new(SharedMemo {
            function: Box::new(function),
            calls: Mutex::new(HashMap::new()),
        })
    }

    /// The answer for `key`; the function runs once for any number of
    /// callers, unless it fails.
    pub async fn get(&self, key: K) -> Result<V, E> {
        let call = {
            let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
            let call = calls
                .entry(key.clone())
                .or_insert_with(|| (self.function)(&key).shared());
            call.clone()
        }; // The lock is released before the `.await`.
        let outcome = call.clone().await;
        if outcome.is_err() {
            let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
            if calls.get(&key).is_some_and(|now| now.ptr_eq(&call)) {
                calls.remove(&key);
            }
        }
        outcome
    }
}
// ANCHOR_END: shared_memo
