//! Exercise 6 of part 14: answers that expire. Proxy 2.0 throws its poem
//! away once it is older than a maximum age; [`Memo`] keeps answers until
//! someone calls [`Memo::forget`]. `Expiring` puts the two together: it
//! notes on the reactor's clock when each key's answer arrived, and a
//! `get` that finds the answer too old forgets it first, so the memo asks
//! again. The clock is virtual here, so the run takes no time.
//!
//! ```text
//! cargo run -p part-14 --example part14-ex6-memo
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_02::cli::fail;
use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, succeed};
use part_14::Memo;

/// A memo whose answers expire after a maximum age.
#[derive(Debug, Parser)]
#[command(name = "part14-ex6-memo")]
struct Args {}

// ANCHOR: expiring
/// A [`Memo`] whose answers are forgotten once older than `max_age`.
pub struct Expiring<K, V> {
    memo: Memo<K, V>,
    reactor: Reactor,
    max_age: Duration,
    /// When each known answer arrived, on the reactor's clock.
    arrived: Rc<RefCell<HashMap<K, Duration>>>,
}

impl<K: Clone + Eq + Hash + 'static, V: Clone + 'static> Expiring<K, V> {
    /// Expires `memo`'s answers `max_age` after they arrive.
    pub fn new(memo: Memo<K, V>, reactor: &Reactor, max_age: Duration) -> Self {
        let (reactor, arrived) = (reactor.clone(), Rc::default());
        Expiring {
            memo,
            reactor,
            max_age,
            arrived,
        }
    }

    /// The memo's answer for `key`, asked for again if it is too old.
    pub fn get(&self, key: K) -> Deferred<V> {
        let now = self.reactor.now();
        let arrived = self.arrived.borrow().get(&key).copied();
        if arrived.is_some_and(|at| now.saturating_sub(at) >= self.max_age) {
            self.arrived.borrow_mut().remove(&key);
            self.memo.forget(&key);
        }
        let answer = self.memo.get(key.clone());
        if self.memo.is_known(&key) {
            return answer; // fired already, and its time noted already
        }
        let (reactor, arrived) = (self.reactor.clone(), Rc::clone(&self.arrived));
        answer.add_callback(move |value: V| {
            arrived.borrow_mut().entry(key).or_insert(reactor.now());
            succeed(value)
        })
    }
}
// ANCHOR_END: expiring

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let clock = VirtualClock::new();
    let reactor = match Reactor::with(BackendKind::Mio, clock) {
        Ok(reactor) => reactor,
        Err(error) => return fail(format!("cannot make a reactor: {error}")),
    };
    // A download that the reactor finishes a second after it starts.
    let downloader = reactor.clone();
    let memo = Memo::new(move |name: &String| {
        println!(
            "{:>4.1}s  downloading {name}",
            downloader.now().as_secs_f64()
        );
        let (poem, trigger) = part_07::deferred();
        let text = format!("the poem {name}");
        downloader.call_later(Duration::from_secs(1), move || {
            let _ = trigger.callback(text);
        });
        poem
    });
    let cache = Expiring::new(memo, &reactor, Duration::from_secs(10));
    for at in [0, 5, 12, 14] {
        let wait = Duration::from_secs(at).saturating_sub(reactor.now());
        let _ = reactor.advance(wait);
        println!("{:>4.1}s  asking for tyger", reactor.now().as_secs_f64());
        let clock = reactor.clone();
        let _ = cache
            .get("tyger".to_string())
            .add_callback(move |poem: String| {
                println!("{:>4.1}s  got {poem:?}", clock.now().as_secs_f64());
            });
        let _ = reactor.advance(Duration::from_secs(1));
    }
    ExitCode::SUCCESS
}
