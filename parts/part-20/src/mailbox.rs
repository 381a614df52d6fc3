//! A mailbox of our own, on part 17's runtime.
//!
//! An Erlang process has one mailbox. Anyone who knows the process's
//! address may drop a message in it, at any time, without waiting; the
//! process takes messages out, in the order they came, when it is ready
//! for one, and waits if there is none. That is all a mailbox is: a queue
//! with one reader, many writers, and a way for the reader to sleep until
//! a writer comes.
//!
//! On our runtime the sleeping is a [`Waker`]: [`Mailbox::recv`] leaves
//! the waker of the task that reads, and [`Sender::send`] calls it. The
//! runtime is single-threaded, so the queue is an `Rc<RefCell<…>>`, and a
//! message need not be `Send`.
//!
//! Two rules, both Erlang's:
//!
//! - sending never waits and never fails: a message to a mailbox that is
//!   gone is dropped, as a message to a dead process is;
//! - the reader learns that nobody can write any more: once the mailbox
//!   is empty and every [`Sender`] is dropped, `recv` gives `None`
//!   instead of waiting for ever.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: mailbox
/// What a mailbox and its senders share.
struct Shared<M> {
    /// The messages not yet taken, oldest first.
    messages: VecDeque<M>,
    /// The reader, if it is waiting for a message.
    reader: Option<Waker>,
    /// How many senders there are.
    senders: usize,
    /// Whether the mailbox itself still exists.
    open: bool,
}

/// The receiving end: the process's own mailbox. Only one task reads it.
pub struct Mailbox<M>(Rc<RefCell<Shared<M>>>);

/// An address to send messages to: Erlang's pid, as far as sending goes.
/// Cheap to clone; every clone sends to the same mailbox.
pub struct Sender<M>(Rc<RefCell<Shared<M>>>);

/// A new mailbox, and the first address that sends to it.
pub fn mailbox<M>() -> (Sender<M>, Mailbox<M>) {
    let shared = Rc::new(RefCell::new(Shared {
        messages: VecDeque::new(),
        reader: None,
        senders: 1,
        open: true,
    }));
    (Sender(Rc::clone(&shared)), Mailbox(shared))
}

impl<M> Sender<M> {
    /// Puts `message` in the mailbox and wakes its reader. Never waits;
    /// if the mailbox is gone, the message is dropped.
    pub fn send(&self, message: M) {
        let reader = {
            let mut shared = self.0.borrow_mut();
            if !shared.open {
                return;
            }
            shared.messages.push_back(message);
            shared.reader.take()
        };
        // Outside the borrow: waking may run code that sends again.
        if let Some(reader) = reader {
            reader.wake();
        }
    }
}

impl<M> Mailbox<M> {
    /// The next message, waiting for one if there is none yet; `None`
    /// once the mailbox is empty and no sender is left.
    pub async fn recv(&mut self) -> Option<M> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// `recv` as a poll: a message, the end, or `Pending` with the
    /// task's waker left for the next [`Sender::send`].
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<M>> {
        let mut shared = self.0.borrow_mut();
        if let Some(message) = shared.messages.pop_front() {
            return Poll::Ready(Some(message));
        }
        if shared.senders == 0 {
            return Poll::Ready(None);
        }
        shared.reader = Some(cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: mailbox

impl<M> Mailbox<M> {
    /// Another address of this mailbox (Erlang's `self()`, to hand out).
    /// While the mailbox holds none itself, `recv` can still end.
    pub fn sender(&self) -> Sender<M> {
        self.0.borrow_mut().senders += 1;
        Sender(Rc::clone(&self.0))
    }

    /// How many messages are waiting.
    pub fn len(&self) -> usize {
        self.0.borrow().messages.len()
    }

    /// Whether no message is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<M> Clone for Sender<M> {
    fn clone(&self) -> Self {
        self.0.borrow_mut().senders += 1;
        Sender(Rc::clone(&self.0))
    }
}

impl<M> Drop for Sender<M> {
    /// The last sender gone wakes the reader, so that it sees the end.
    fn drop(&mut self) {
        let reader = {
            let mut shared = self.0.borrow_mut();
            shared.senders -= 1;
            if shared.senders > 0 {
                return;
            }
            shared.reader.take()
        };
        if let Some(reader) = reader {
            reader.wake();
        }
    }
}

impl<M> Drop for Mailbox<M> {
    /// Messages sent from now on are dropped; those waiting go now.
    fn drop(&mut self) {
        let messages = {
            let mut shared = self.0.borrow_mut();
            shared.open = false;
            std::mem::take(&mut shared.messages)
        };
        drop(messages); // outside the borrow: a message may own a sender
    }
}

impl<M> std::fmt::Debug for Mailbox<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailbox")
            .field("waiting", &self.len())
            .finish()
    }
}

impl<M> std::fmt::Debug for Sender<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sender")
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use part_03::{BackendKind, Reactor, VirtualClock};
    use part_17::Runtime;

    use super::*;

    /// A runtime whose timers take no real time.
    fn runtime() -> Runtime {
        let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor");
        Runtime::new(&reactor)
    }

    /// Every message `rx` gives until `recv` says it is the end.
    fn read_to_the_end(rt: &Runtime, mut rx: Mailbox<u32>) -> Vec<u32> {
        let read = rt.block_on(async move {
            let mut got = Vec::new();
            while let Some(n) = rx.recv().await {
                got.push(n);
            }
            got
        });
        read.expect("the reader ends")
    }

    #[test]
    fn messages_come_out_in_the_order_they_went_in() {
        let rt = runtime();
        let (tx, rx) = mailbox();
        for n in 1..=3 {
            tx.send(n);
        }
        drop(tx);
        assert_eq!(read_to_the_end(&rt, rx), [1, 2, 3]);
    }

    #[test]
    fn the_reader_waits_until_a_sender_wakes_it() {
        let rt = runtime();
        let (tx, mut rx) = mailbox::<&str>();
        let clock = rt.clone();
        let _writer = rt.spawn(async move {
            let _ = clock.sleep(Duration::from_secs(5)).await;
            tx.send("late");
        });
        let reader = rt.clone();
        let got = rt.block_on(async move {
            let message = rx.recv().await;
            (message, reader.reactor().now())
        });
        let (message, at) = got.unwrap();
        assert_eq!(message, Some("late"));
        assert!(
            at >= Duration::from_secs(5),
            "read at {at:?}, before the message was sent"
        );
    }

    #[test]
    fn recv_ends_only_when_the_mailbox_is_empty_and_every_sender_is_gone() {
        let rt = runtime();
        let (tx, rx) = mailbox();
        let other = tx.clone();
        let own = rx.sender();
        tx.send(1);
        drop(tx);
        other.send(2);
        drop(other);
        let clock = rt.clone();
        let _last = rt.spawn(async move {
            let _ = clock.sleep(Duration::from_secs(1)).await;
            own.send(3);
            // `own` is dropped here: the last sender.
        });
        assert_eq!(read_to_the_end(&rt, rx), [1, 2, 3]);
    }

    #[test]
    fn a_message_to_a_mailbox_that_is_gone_is_dropped() {
        let (tx, rx) = mailbox();
        let message = Rc::new(());
        tx.send(Rc::clone(&message));
        assert_eq!(rx.len(), 1);
        drop(rx);
        assert_eq!(Rc::strong_count(&message), 1, "the waiting message went");
        tx.send(Rc::clone(&message)); // no error, no panic
        assert_eq!(Rc::strong_count(&message), 1, "the new message was dropped");
    }
}
