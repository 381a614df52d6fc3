//! Part 17, exercise 2: a sleep written by hand, with no deferred.
//!
//! `Sleep` is a future that is ready once the reactor's clock has passed
//! its deadline. Its first poll asks the reactor for a timed call, and the
//! timed call's only work is to wake the task: a waker is just the
//! callback a future leaves with whoever will know when to go on. Dropping
//! the future before then cancels the timed call.
//!
//! `cargo run -p part-17 --example part17-ex2-sleep`

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use part_03::{BackendKind, DelayedCall, Reactor, VirtualClock};
use part_17::Runtime;

// ANCHOR: sleep
/// Ready once `reactor`'s clock reaches `deadline`.
pub struct Sleep {
    reactor: Reactor,
    deadline: Duration,
    timer: Option<DelayedCall>,
}

/// A sleep of `delay` on `reactor`'s clock.
pub fn sleep(reactor: &Reactor, delay: Duration) -> Sleep {
    Sleep {
        reactor: reactor.clone(),
        deadline: reactor.now() + delay,
        timer: None,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let now = self.reactor.now();
        if now >= self.deadline {
            return Poll::Ready(());
        }
        // A fresh timed call for this poll's waker (cancelling the old).
        if let Some(old) = self.timer.take() {
            let _ = old.cancel();
        }
        let waker = cx.waker().clone();
        let timer = self
            .reactor
            .call_later(self.deadline - now, move || waker.wake());
        self.timer = Some(timer);
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            let _ = timer.cancel(); // an error: it has run already
        }
    }
}
// ANCHOR_END: sleep

fn main() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor");
    let runtime = Runtime::new(&reactor);
    let clock = reactor.clone();
    let woke = runtime.block_on(async move {
        sleep(&clock, Duration::from_secs(3)).await;
        clock.now()
    });
    match woke {
        Ok(at) => println!("woke at {at:?} on the virtual clock"),
        Err(failure) => println!("the run failed: {failure}"),
    }
}
