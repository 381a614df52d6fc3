//! Part 20, exercise 3: Erlang's selective receive.
//!
//! An Erlang `receive` names the messages it wants; the others stay in
//! the mailbox, in order, for a later `receive`. Our mailbox gives the
//! oldest message, whatever it is. A wrapper with a second queue, for the
//! messages passed over, is enough to choose (the Erlang runtime keeps
//! such a "save queue" too).
//!
//! `cargo run -p part-20 --example part20-ex3-selective`

use std::collections::VecDeque;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_17::Runtime;
use part_20::{Mailbox, mailbox};

// ANCHOR: selective
/// A mailbox that can be asked for a message of one kind.
pub struct Selective<M> {
    mailbox: Mailbox<M>,
    /// Messages passed over, oldest first.
    saved: VecDeque<M>,
}

impl<M> Selective<M> {
    /// Wraps `mailbox`.
    pub fn new(mailbox: Mailbox<M>) -> Selective<M> {
        Selective {
            mailbox,
            saved: VecDeque::new(),
        }
    }

    /// The oldest message that `wanted` accepts, waiting for one if need
    /// be; the others stay, in order, for later.
    pub async fn recv_where(&mut self, wanted: impl Fn(&M) -> bool) -> Option<M> {
        if let Some(at) = self.saved.iter().position(&wanted) {
            return self.saved.remove(at);
        }
        loop {
            let message = self.mailbox.recv().await?;
            if wanted(&message) {
                return Some(message);
            }
            self.saved.push_back(message);
        }
    }

    /// The oldest message of any kind: those passed over first.
    pub async fn recv(&mut self) -> Option<M> {
        match self.saved.pop_front() {
            Some(message) => Some(message),
            None => self.mailbox.recv().await,
        }
    }
}
// ANCHOR_END: selective

fn main() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor");
    let runtime = Runtime::new(&reactor);
    let (me, inbox) = mailbox::<(usize, &str)>();
    for (who, after) in [(1, 1), (2, 3), (3, 2)] {
        let (rt, me) = (runtime.clone(), me.clone());
        let _ = runtime.spawn(async move {
            let _ = rt.sleep(Duration::from_secs(after)).await;
            println!(
                "{}s: worker {who} sends its poem",
                rt.reactor().now().as_secs()
            );
            me.send((who, "a poem"));
        });
    }
    drop(me);
    let clock = runtime.clone();
    let _ = runtime.block_on(async move {
        let mut inbox = Selective::new(inbox);
        if let Some((who, _)) = inbox.recv_where(|&(who, _)| who == 2).await {
            let now = clock.reactor().now().as_secs();
            println!("{now}s: main waited for worker {who} first");
        }
        while let Some((who, _)) = inbox.recv().await {
            println!("then worker {who}'s poem, in the order it came");
        }
    });
}
