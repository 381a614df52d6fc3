//! Assertions about deferreds.
//!
//! `assert!` works inside a callback: its panic becomes the chain's
//! failure, and the harness reports the test failed with the panic's
//! message. What `assert!` cannot check is that something *fails*, since
//! the failure arrives later, down the chain. [`assert_failure`] does: it
//! turns "this deferred fails with an error of type `E`" into a deferred
//! that succeeds exactly then (trial's `assertFailure`).

use std::any::type_name;
use std::error::Error;
use std::panic::Location;

use part_07::{Deferred, Failure};

/// What [`assert_failure`] fails with when the deferred did not fail as
/// expected.
#[derive(Debug, thiserror::Error)]
pub enum UnexpectedOutcome {
    /// It failed, but with another type of error.
    #[error("expected a failure of type {expected}, got {got}")]
    WrongFailure {
        /// The type expected.
        expected: &'static str,
        /// The failure it fired with.
        got: Failure,
    },
    /// It did not fail at all.
    #[error("expected a failure of type {expected}, but it succeeded with a {got}")]
    DidNotFail {
        /// The type expected.
        expected: &'static str,
        /// The type of the result it fired with.
        got: &'static str,
    },
}

// ANCHOR: assert_failure
/// A deferred that fires with `d`'s failure if `d` fails with an error of
/// type `E`, and fails with [`UnexpectedOutcome`] if `d` fails with
/// anything else or succeeds. Return it from a test, or add callbacks that
/// look closer at the failure.
#[track_caller]
pub fn assert_failure<E: Error + 'static, T: 'static>(d: Deferred<T>) -> Deferred<Failure> {
    let (expected, asserted_at) = (short(type_name::<E>()), Location::caller());
    d.add_both(move |outcome: Result<T, Failure>| {
        let unexpected = match outcome {
            Err(failure) if failure.check::<E>() => return Ok(failure),
            Err(got) => UnexpectedOutcome::WrongFailure { expected, got },
            Ok(_) => UnexpectedOutcome::DidNotFail {
                expected,
                got: short(type_name::<T>()),
            },
        };
        // Raised where the test asserted, so the message points there.
        Err(Failure::at(unexpected, asserted_at))
    })
}
// ANCHOR_END: assert_failure

/// `a::b::C` becomes `C` (generic types are left whole).
fn short(name: &'static str) -> &'static str {
    if name.contains('<') {
        return name;
    }
    name.rsplit("::").next().unwrap_or(name)
}
