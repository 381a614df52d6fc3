//! Reaching a reactor from another thread: [`ReactorHandle`], Twisted's
//! `callFromThread`, and signals.
//!
//! A [`Reactor`] belongs to one thread: it is an `Rc`, and so is everything
//! its callbacks share. Another thread cannot call it, but it can leave it
//! a message. A [`ReactorHandle`] is that message box: it queues a call
//! behind a mutex and wakes the backend, whose wait ends; on its next turn
//! the reactor takes the queued calls and runs them, on its own thread, in
//! the order they were queued. The handle holds no part of the reactor
//! itself, which is why it can be `Send + Sync`.
//!
//! A call queued before the reactor runs waits for [`Reactor::run`]: a
//! thread may be told to stop before it has even started its loop, and
//! still stop.

use std::collections::VecDeque;
use std::collections::hash_map::{Entry, HashMap};
use std::ffi::c_int;
use std::io;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::JoinHandle;

use crate::backend::Wake;
use crate::reactor::{Reactor, ReactorError};
use crate::report::{Origin, Outcome};

/// A call queued by another thread: run with the reactor, it returns the
/// error message if it failed.
pub(crate) type QueuedCall = Box<dyn FnOnce(&Reactor) -> Option<String> + Send>;

/// The calls other threads have queued for a reactor, and the means to
/// wake it. Shared by the reactor and every [`ReactorHandle`].
pub(crate) struct Inbox {
    /// `None` once the reactor is gone: nothing will ever run a call again.
    calls: Mutex<Option<VecDeque<(Origin, QueuedCall)>>>,
    waker: Arc<dyn Wake>,
}

impl Inbox {
    /// An empty inbox that wakes the reactor with `waker`.
    pub(crate) fn new(waker: Arc<dyn Wake>) -> Inbox {
        Inbox {
            calls: Mutex::new(Some(VecDeque::new())),
            waker,
        }
    }

    /// The queue. No code but ours runs while it is locked, so a poisoned
    /// lock cannot hold a half-done change: use it anyway.
    fn lock(&self) -> MutexGuard<'_, Option<VecDeque<(Origin, QueuedCall)>>> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, what: Origin, call: QueuedCall) -> Result<(), ReactorError> {
        match self.lock().as_mut() {
            Some(calls) => calls.push_back((what, call)),
            None => return Err(ReactorError::Gone),
        }
        // After the call is queued: a reactor that wakes up must find it.
        self.waker.wake()?;
        Ok(())
    }

    /// Every call queued so far, leaving the queue empty.
    pub(crate) fn take(&self) -> VecDeque<(Origin, QueuedCall)> {
        self.lock().as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Puts back calls taken but not run (the reactor stopped first), ahead
    /// of any queued since, so the order stays the order of queueing.
    pub(crate) fn put_back(&self, mut unrun: VecDeque<(Origin, QueuedCall)>) {
        let mut guard = self.lock();
        if let Some(calls) = guard.as_mut() {
            unrun.append(calls);
            *calls = unrun;
        }
    }

    /// Whether any call is waiting: the reactor has work to do now.
    pub(crate) fn is_empty(&self) -> bool {
        self.lock().as_ref().is_none_or(VecDeque::is_empty)
    }

    /// The reactor is gone: refuse further calls, and drop the queued ones
    /// (outside the lock, since dropping them runs their captures' code).
    pub(crate) fn close(&self) {
        let unrun = self.lock().take();
        drop(unrun);
    }
}

/// A handle on a reactor that any thread can hold: it can queue calls for
/// the reactor's thread and ask the reactor to stop (Twisted's
/// `reactor.callFromThread`). Get one with [`Reactor::handle`]. Cheap to
/// clone; it does not keep the reactor alive.
#[derive(Clone)]
pub struct ReactorHandle(pub(crate) Arc<Inbox>);

impl std::fmt::Debug for ReactorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let queued = self.0.lock().as_ref().map(VecDeque::len);
        f.debug_struct("ReactorHandle")
            .field("queued", &queued)
            .finish()
    }
}

impl ReactorHandle {
    /// Runs `f` on the reactor's thread, on its next turn, and wakes the
    /// reactor if it is waiting. Calls run in the order they were queued,
    /// each guarded like any callback (a panic or an error is reported and
    /// the loop goes on). A call queued before [`Reactor::run`] runs when
    /// the reactor runs.
    ///
    /// Fails with [`ReactorError::Gone`] if the reactor no longer exists.
    #[track_caller]
    pub fn call_from_thread<R: Outcome>(
        &self,
        f: impl FnOnce(&Reactor) -> R + Send + 'static,
    ) -> Result<(), ReactorError> {
        let what = Origin::new("call from a thread", Location::caller());
        self.0
            .push(what, Box::new(move |reactor| f(reactor).into_error()))
    }

    /// Asks the reactor to stop, from any thread: queues a call to
    /// [`Reactor::stop`]. A reactor already stopping is left to finish
    /// doing so; that is not reported as an error, since a second Ctrl-C
    /// is not a bug.
    ///
    /// Fails with [`ReactorError::Gone`] if the reactor no longer exists.
    #[track_caller]
    pub fn stop(&self) -> Result<(), ReactorError> {
        let what = Origin::new("stop from a thread", Location::caller());
        self.0.push(
            what,
            Box::new(|reactor| match reactor.stop() {
                Ok(()) | Err(ReactorError::AlreadyStopping) => None,
                Err(other) => Some(other.to_string()),
            }),
        )
    }

    /// Routes `signals` (such as `SIGINT` and `SIGTERM`, from
    /// [`signal_hook::consts`]) into [`stop`](ReactorHandle::stop), until
    /// the returned guard is dropped.
    ///
    /// A signal handler may do almost nothing (it interrupts the program
    /// anywhere, even inside `malloc`), so it cannot queue a call itself.
    /// `signal-hook`'s handler writes a byte to a pipe; a thread of the
    /// guard's reads it and calls `stop`. Once the last guard for a signal
    /// is dropped, the signal does what it did before any guard (for these
    /// two: end the process), instead of being silently ignored.
    ///
    /// Fails with `InvalidInput` for a signal that cannot be handled
    /// (`SIGKILL`, `SIGSTOP`, and those only a crash raises).
    pub fn stop_on_signals(&self, signals: &[c_int]) -> io::Result<SignalGuard> {
        if let Some(sig) = signals
            .iter()
            .find(|sig| signal_hook::consts::FORBIDDEN.contains(sig))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("signal {sig} cannot be routed to a reactor"),
            ));
        }
        guards_began(signals)?;
        let mut delivery = match signal_hook::iterator::Signals::new(signals) {
            Ok(delivery) => delivery,
            Err(error) => {
                guards_ended(signals);
                return Err(error);
            }
        };
        let closer = delivery.handle();
        let handle = self.clone();
        let thread = std::thread::Builder::new()
            .name("reactor-signals".into())
            .spawn(move || {
                for _signal in delivery.forever() {
                    // The reactor may be gone; then there is nothing to stop.
                    let _ = handle.stop();
                }
            });
        let thread = match thread {
            Ok(thread) => thread,
            Err(error) => {
                guards_ended(signals);
                return Err(error);
            }
        };
        Ok(SignalGuard {
            closer,
            thread: Some(thread),
            signals: signals.to_vec(),
        })
    }
}

/// Routes signals into a reactor's `stop` while it exists (see
/// [`ReactorHandle::stop_on_signals`]). Dropping it unregisters them.
#[derive(Debug)]
pub struct SignalGuard {
    closer: signal_hook::iterator::Handle,
    thread: Option<JoinHandle<()>>,
    signals: Vec<c_int>,
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        // Ends the delivery thread's loop; dropping the delivery (in the
        // thread) unregisters the signals.
        self.closer.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        guards_ended(&self.signals);
    }
}

/// For each signal ever routed: how many guards route it now, and the flag
/// that tells the process-wide fallback handler to act as the default one
/// (true while no guard routes the signal).
type Routed = HashMap<c_int, (usize, Arc<AtomicBool>)>;

fn routed() -> MutexGuard<'static, Routed> {
    static ROUTED: OnceLock<Mutex<Routed>> = OnceLock::new();
    ROUTED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Counts a new guard for `signals`. The first time a signal is routed, a
/// fallback is registered that runs the default action whenever no guard
/// routes it: registering a handler replaces the default action for good,
/// and unregistering it does not bring that back.
fn guards_began(signals: &[c_int]) -> io::Result<()> {
    let mut routed = routed();
    for (done, &signal) in signals.iter().enumerate() {
        let (count, unguarded) = match routed.entry(signal) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let unguarded = Arc::new(AtomicBool::new(false));
                let registered =
                    signal_hook::flag::register_conditional_default(signal, Arc::clone(&unguarded));
                if let Err(error) = registered {
                    drop(routed);
                    guards_ended(&signals[..done]);
                    return Err(error);
                }
                entry.insert((0, unguarded))
            }
        };
        *count += 1;
        unguarded.store(false, Ordering::SeqCst);
    }
    Ok(())
}

/// Counts a guard for `signals` gone; a signal no guard routes any longer
/// gets its default action back.
fn guards_ended(signals: &[c_int]) {
    let mut routed = routed();
    for signal in signals {
        if let Some((count, unguarded)) = routed.get_mut(signal) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                unguarded.store(true, Ordering::SeqCst);
            }
        }
    }
}
