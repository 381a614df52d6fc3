//! A function that can stop and be resumed, with values sent in and errors
//! thrown in: Python's generator `send` and `throw`, for the series'
//! `gen-3` and `gen-4`, built on stable Rust.
//!
//! Stable Rust has no generators, but it has something very close: an
//! `async` block is compiled into a state machine that stops at every
//! `.await` that is not ready, and carries on from there when it is polled
//! again. So a [`Resumable`] is an `async` body and a mailbox it shares
//! with its caller. The body's [`Co::yield_`] leaves a value in the
//! mailbox and stops; [`Resumable::resume`] (or [`throw`](Resumable::throw))
//! leaves the answer there and polls the body once, which carries on to
//! the next yield. Nobody waits for I/O: the waker is one that does
//! nothing, because the caller, not an event, decides when to go on.
//!
//! This is exactly the trick `inlineCallbacks` plays with a generator, and
//! the one a runtime plays with a future: only who decides "go on" differs.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// What a resumable did when it was last resumed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State<Y, T> {
    /// It stopped at a yield, with this value.
    Yielded(Y),
    /// It ran to its end and returned this.
    Complete(T),
}

/// The mailbox between a resumable and its caller.
struct Mailbox<Y, R, E> {
    yielded: Option<Y>,
    answer: Option<Result<R, E>>,
}

// ANCHOR: resumable
/// A body that stops at each [`Co::yield_`] until it is resumed with a
/// value of type `R` or thrown an error of type `E`; it yields values of
/// type `Y` and finally returns a `T`.
pub struct Resumable<Y, R, E, T> {
    body: Pin<Box<dyn Future<Output = T>>>,
    mailbox: Rc<RefCell<Mailbox<Y, R, E>>>,
    started: bool,
    finished: bool,
}

/// The body's side of the mailbox.
pub struct Co<Y, R, E> {
    mailbox: Rc<RefCell<Mailbox<Y, R, E>>>,
}

impl<Y, R, E> Co<Y, R, E> {
    /// Stops the body, handing `value` to the caller; it goes on when the
    /// caller resumes it, and the `.await` gives what the caller sent
    /// (`Ok`) or threw (`Err`).
    pub fn yield_(&self, value: Y) -> YieldPoint<'_, Y, R, E> {
        self.mailbox.borrow_mut().yielded = Some(value);
        YieldPoint { co: self }
    }
}

/// The future of one yield: pending until the caller answers.
pub struct YieldPoint<'a, Y, R, E> {
    co: &'a Co<Y, R, E>,
}

impl<Y, R, E> Future for YieldPoint<'_, Y, R, E> {
    type Output = Result<R, E>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<R, E>> {
        match self.co.mailbox.borrow_mut().answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Pending, // stop here; the caller has the value
        }
    }
}
// ANCHOR_END: resumable

impl<Y: 'static, R: 'static, E: 'static, T: 'static> Resumable<Y, R, E, T> {
    /// A resumable running `body`, which is given the [`Co`] to yield with.
    /// Nothing runs until the first [`resume`](Resumable::resume).
    pub fn new<F: Future<Output = T> + 'static>(body: impl FnOnce(Co<Y, R, E>) -> F) -> Self {
        let mailbox = Rc::new(RefCell::new(Mailbox {
            yielded: None,
            answer: None,
        }));
        let co = Co {
            mailbox: Rc::clone(&mailbox),
        };
        Resumable {
            body: Box::pin(body(co)),
            mailbox,
            started: false,
            finished: false,
        }
    }
}

impl<Y, R, E, T> Resumable<Y, R, E, T> {
    // ANCHOR: resume
    /// Runs the body on to its next yield (or its end), the yield it is
    /// stopped at giving `value`. Like Python's `send`, the first call only
    /// starts the body, which is at no yield yet: its value is dropped.
    pub fn resume(&mut self, value: R) -> State<Y, T> {
        self.go_on(Ok(value))
    }

    /// Runs the body on, the yield it is stopped at giving the error
    /// `error`, which the body may handle and go on, or pass on with `?`.
    pub fn throw(&mut self, error: E) -> State<Y, T> {
        self.go_on(Err(error))
    }

    fn go_on(&mut self, answer: Result<R, E>) -> State<Y, T> {
        assert!(!self.finished, "resumed after it returned");
        if std::mem::replace(&mut self.started, true) {
            self.mailbox.borrow_mut().answer = Some(answer);
        }
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        match self.body.as_mut().poll(&mut cx) {
            Poll::Ready(output) => {
                self.finished = true;
                State::Complete(output)
            }
            Poll::Pending => match self.mailbox.borrow_mut().yielded.take() {
                Some(value) => State::Yielded(value),
                None => panic!("a resumable's body may only await its own yields"),
            },
        }
    }
    // ANCHOR_END: resume

    /// Whether the body has returned.
    pub fn is_finished(&self) -> bool {
        self.finished
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_go_in_and_out_in_turn() {
        let mut r = Resumable::new(|co: Co<u32, u32, &'static str>| async move {
            let a = co.yield_(1).await.unwrap();
            let b = co.yield_(a + 1).await.unwrap();
            a + b
        });
        assert_eq!(r.resume(99), State::Yielded(1));
        assert_eq!(r.resume(10), State::Yielded(11));
        assert_eq!(r.resume(5), State::Complete(15));
        assert!(r.is_finished());
    }

    #[test]
    fn a_thrown_error_arrives_at_the_yield_and_can_be_handled_or_passed_on() {
        let mut r = Resumable::new(|co: Co<u32, (), &'static str>| async move {
            if let Err(e) = co.yield_(1).await {
                assert_eq!(e, "first");
            }
            co.yield_(2).await?;
            Ok::<(), &'static str>(())
        });
        assert_eq!(r.resume(()), State::Yielded(1));
        assert_eq!(r.throw("first"), State::Yielded(2));
        assert_eq!(r.throw("second"), State::Complete(Err("second")));
    }
}
