//! What happens when a callback fails: it is reported, and the loop goes on.
//!
//! A callback can fail in two ways. It can return an error (callbacks may
//! return `()` or `Result<(), E>`: see [`Outcome`]), or it can panic. The
//! reactor catches both, builds a [`FailedCall`] naming what failed, and hands it
//! to the reactor's reporter, which by default prints it on standard error.
//! A program's other callbacks are not affected: one broken callback does not
//! bring the reactor down.
//!
//! Panics are caught with [`std::panic::catch_unwind`]. So that a caught
//! panic is reported once, by the reactor, rather than also by Rust's
//! default panic message, the first callback caught installs a panic hook.
//! The hook notes the message and location of a panic raised inside a
//! callback, for the report, and passes any other panic on to the hook that
//! was there before. The same routine, [`catch_panic`], guards the callbacks
//! of part 7's `Deferred`.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{self, Location};
use std::sync::Once;

// ANCHOR: outcome
/// Something a callback can return: `()` (it cannot fail) or a `Result`
/// whose error is reported if it is `Err`.
pub trait Outcome {
    /// The error message, if the callback failed.
    fn into_error(self) -> Option<String>;
}

impl Outcome for () {
    fn into_error(self) -> Option<String> {
        None
    }
}

impl<E: fmt::Display> Outcome for Result<(), E> {
    fn into_error(self) -> Option<String> {
        self.err().map(|e| e.to_string())
    }
}
// ANCHOR_END: outcome

/// A callback that failed, as reported. (Not to be confused with part 7's
/// `Failure`, which carries an error down a chain of callbacks: this one
/// is only a report, made after the fact.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedCall {
    /// What failed, e.g. `callback scheduled at examples/exception.rs:14:13`.
    pub what: String,
    /// How: the error's message, or `panicked at FILE:LINE:COL: MESSAGE`.
    pub how: String,
}

impl fmt::Display for FailedCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unhandled error in {}: {}", self.what, self.how)
    }
}

/// Where a callback came from, for reports: the caller of `call_later`,
/// `call_when_running` and the like (via `#[track_caller]`).
///
/// Kept as two references and put into words only if the callback fails:
/// a server schedules a call or two per connection, and formatting a
/// string for each, to be thrown away unread, would cost more than the
/// scheduling itself.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin {
    kind: &'static str,
    location: &'static Location<'static>,
}

impl Origin {
    /// A callback of `kind` scheduled at `location`.
    pub(crate) fn new(kind: &'static str, location: &'static Location<'static>) -> Origin {
        Origin { kind, location }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} scheduled at {}:{}",
            self.kind,
            self.location.file(),
            self.location.line()
        )
    }
}

thread_local! {
    /// Whether this thread is inside a guarded callback right now.
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
    /// The last panic caught inside a callback: its message and place.
    static LAST_PANIC: RefCell<Option<Panic>> = const { RefCell::new(None) };
}

/// A panic caught in a callback: what it said and where it was raised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panic {
    /// The panic's message (`"(a panic without a message)"` if it had none).
    pub message: String,
    /// Where it was raised, as `FILE:LINE:COLUMN`, if known.
    pub place: Option<String>,
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "panicked at {place}: {}", self.message),
            None => write!(f, "panicked: {}", self.message),
        }
    }
}

/// Installs, once per process, a panic hook that records panics raised
/// inside guarded callbacks (on whatever thread) for the report, and passes
/// every other panic on to the hook that was there before.
fn capture_callback_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_CALLBACK.with(Cell::get) {
                let caught = Panic {
                    message: payload_message(info.payload()),
                    place: info
                        .location()
                        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())),
                };
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(caught));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

// ANCHOR: guarded
/// Runs `f`, a callback, and catches a panic in it: the one routine every
/// caller of callbacks in the workspace uses (the reactor here, the
/// Deferred in part 7). A caught panic is reported once, by whoever called
/// this, with its message and place; Rust's default message for it (and
/// its backtrace note) is not printed as well.
pub fn catch_panic<R>(f: impl FnOnce() -> R) -> Result<R, Panic> {
    capture_callback_panics();
    let was_inside = IN_CALLBACK.with(|c| c.replace(true));
    let result = panic::catch_unwind(panic::AssertUnwindSafe(f));
    IN_CALLBACK.with(|c| c.set(was_inside));
    result.map_err(|payload| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| Panic {
                message: payload_message(&*payload),
                place: None,
            })
    })
}

/// Runs `f` as a callback: catches a panic or an error and returns how it
/// failed, if it did.
pub(crate) fn guarded<R: Outcome>(f: impl FnOnce() -> R) -> Option<String> {
    match catch_panic(f) {
        Ok(outcome) => outcome.into_error(),
        Err(panic) => Some(panic.to_string()),
    }
}
// ANCHOR_END: guarded
