//! `Failure`: an error that remembers what it was and where it came from.
//!
//! In a synchronous program an error travels up the stack to whoever called
//! the code that failed, and the stack itself says where it came from. In an
//! asynchronous program the code that failed was called by the reactor, long
//! after whoever asked for the work has returned: there is no stack to travel
//! up. So the error must become a *value*, carried along the deferred's chain
//! to whoever can deal with it, and it must carry its origin with it. That
//! value is a [`Failure`].

use std::any::{Any, type_name};
use std::error::Error;
use std::fmt;
use std::panic::Location;
use std::rc::Rc;

// ANCHOR: failure
/// An error carried down a deferred's chain: the error itself (any
/// `std::error::Error + 'static`), the name of its type, and the place in the
/// source where it was turned into a failure.
///
/// Cloning a failure is cheap and shares the error: one failure can reach
/// several waiters (a list of deferreds, a proxy's clients).
#[derive(Clone)]
pub struct Failure(Rc<Shared>);

/// What clones of a failure share.
struct Shared {
    error: Box<dyn AnyError>,
    type_name: &'static str,
    location: &'static Location<'static>,
}
// ANCHOR_END: failure

/// An error that can also be seen as `Any`, so that a shared one can be
/// taken back out as its own type.
trait AnyError: Error + Any {}

impl<E: Error + 'static> AnyError for E {}

impl Failure {
    /// Wraps `error`, noting the caller's source location.
    #[track_caller]
    pub fn new<E: Error + 'static>(error: E) -> Failure {
        Failure::at(error, Location::caller())
    }

    /// Wraps `error`, made at `location`: for failures made on someone
    /// else's behalf (a callback that panicked is named by its own place).
    pub fn at<E: Error + 'static>(error: E, location: &'static Location<'static>) -> Failure {
        Failure(Rc::new(Shared {
            error: Box::new(error),
            type_name: type_name::<E>(),
            location,
        }))
    }

    /// A failure carrying only a message (its type is [`Message`]).
    #[track_caller]
    pub fn msg(message: impl Into<String>) -> Failure {
        Failure::new(Message(message.into()))
    }

    // ANCHOR: check
    /// Whether the error is of type `E`: the Rust way of Twisted's `check`.
    pub fn check<E: Error + 'static>(&self) -> bool {
        let error: &dyn Any = &*self.0.error;
        error.is::<E>()
    }

    /// The error as an `E`, if it is one.
    pub fn downcast_ref<E: Error + 'static>(&self) -> Option<&E> {
        let error: &dyn Any = &*self.0.error;
        error.downcast_ref::<E>()
    }

    /// Twisted's `trap`: `Ok(error)` if the error is of type `E` (it is dealt
    /// with), or the failure itself back, unchanged, to pass on down the chain.
    /// In an errback, `let e = failure.trap::<MyError>()?;` handles one kind of
    /// error and lets every other kind go on to the next errback.
    ///
    /// The error is yours, a clone of the one the failure holds (a failure
    /// may be shared: hence `E: Clone`; for an error type that is not, use
    /// [`check`](Failure::check) or [`downcast_ref`](Failure::downcast_ref)).
    pub fn trap<E: Error + Clone + 'static>(self) -> Result<E, Failure> {
        match self.downcast_ref::<E>() {
            Some(error) => Ok(error.clone()),
            None => Err(self),
        }
    }
    // ANCHOR_END: check

    /// The error.
    pub fn error(&self) -> &(dyn Error + 'static) {
        &*self.0.error
    }

    /// Whether `self` and `other` are clones of one failure.
    pub fn same_as(&self, other: &Failure) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The error's type, e.g. `part_07::failure::Message`.
    pub fn type_name(&self) -> &'static str {
        self.0.type_name
    }

    /// The error's type without its module path, e.g. `Message`.
    pub fn short_type_name(&self) -> &'static str {
        short(self.0.type_name)
    }

    /// Where the failure was made: the source location that turned the
    /// error into a failure (a callback's `Err`, or [`Failure::new`]).
    pub fn location(&self) -> &'static Location<'static> {
        self.0.location
    }

    /// The error's message.
    pub fn message(&self) -> String {
        self.0.error.to_string()
    }
}

/// `a::b::C<d::E>` becomes `C<E>`.
fn short(name: &'static str) -> &'static str {
    let generic = name.find('<').unwrap_or(name.len());
    match name[..generic].rfind("::") {
        Some(at) if generic == name.len() => &name[at + 2..],
        _ => name,
    }
}

// ANCHOR: display
/// `[Failure MyError: the message (raised at src/main.rs:12:5)]`: short
/// enough for one line of output, with everything needed to find the cause.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[Failure {}: {} (raised at {}:{})]",
            self.short_type_name(),
            self.0.error,
            self.0.location.file(),
            self.0.location.line()
        )
    }
}
// ANCHOR_END: display

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Failure")
            .field("type", &self.0.type_name)
            .field("error", &self.0.error)
            .field("location", &format_args!("{}", self.0.location))
            .finish()
    }
}

/// Any error becomes a failure with `?` or `.into()`, remembering where.
impl<E: Error + 'static> From<E> for Failure {
    #[track_caller]
    fn from(error: E) -> Failure {
        Failure::new(error)
    }
}

/// An error that is only a message: what [`Failure::msg`] carries.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Message(pub String);

/// The error a deferred fails with when it is cancelled before it fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the deferred was cancelled")]
pub struct CancelledError;

/// The error a callback that panicked is turned into: the panic's message.
/// The failure that carries it names the callback by the place it was
/// added (see [`Failure::location`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a callback panicked: {0}")]
pub struct Panicked(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, thiserror::Error)]
    #[error("gibberish: {0}")]
    struct Gibberish(u8);

    #[test]
    fn a_failure_knows_its_type_message_and_origin() {
        let line = line!() + 1;
        let failure = Failure::new(Gibberish(7));
        assert!(failure.check::<Gibberish>());
        assert!(!failure.check::<Message>());
        assert_eq!(failure.short_type_name(), "Gibberish");
        assert_eq!(failure.message(), "gibberish: 7");
        assert_eq!(
            (failure.location().file(), failure.location().line()),
            (file!(), line)
        );
        assert_eq!(
            failure.to_string(),
            format!(
                "[Failure Gibberish: gibberish: 7 (raised at {}:{line})]",
                file!()
            )
        );
    }

    #[test]
    fn trap_takes_the_right_type_and_passes_others_on() {
        let failure: Failure = Gibberish(1).into();
        let failure = failure.trap::<Message>().unwrap_err();
        assert!(
            failure.check::<Gibberish>(),
            "unchanged when it does not match"
        );
        assert_eq!(failure.trap::<Gibberish>().unwrap().0, 1);
    }

    #[test]
    fn a_clone_shares_the_error_and_trap_copies_it_out_while_shared() {
        let first = Failure::new(Gibberish(3));
        let second = first.clone();
        assert!(first.same_as(&second));
        assert_eq!(second.to_string(), first.to_string());
        assert_eq!(
            first.trap::<Gibberish>().unwrap().0,
            3,
            "shared: cloned out"
        );
        assert_eq!(second.trap::<Gibberish>().unwrap().0, 3, "alone: moved out");
    }

    #[test]
    fn question_mark_makes_failures() {
        fn parse(text: &str) -> Result<u8, Failure> {
            Ok(text.parse::<u8>()?)
        }
        let failure = parse("x").unwrap_err();
        assert!(failure.check::<std::num::ParseIntError>());
        assert_eq!(failure.short_type_name(), "ParseIntError");
    }
}
