//! Exercise 6 of part 14: single-flight for any number of keys. A `Memo`
//! wraps a function that returns a deferred, and remembers its answers:
//! the first `get` of a key calls the function, later ones made while the
//! answer is on its way wait for it, and later ones still get a deferred
//! fired already. A failure is passed to everyone waiting and forgotten,
//! so the next `get` tries again. This is the proxy's three states, once
//! per key.
//!
//! ```text
//! cargo run -p part-14 --example part14-ex6-memo
//! ```

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::Hash;
use std::rc::Rc;

use clap::Parser;
use part_07::{Deferred, Failure, Trigger, deferred, succeed};

/// Remembers the answers of a function that returns deferreds, one
/// download per key.
#[derive(Debug, Parser)]
#[command(name = "part14-ex6-memo")]
struct Args {}

// ANCHOR: memo
/// What a memo knows about one key.
enum Entry<V> {
    /// The answer is on its way; these callers wait for it.
    Waiting(Vec<Trigger<V>>),
    /// The answer.
    Known(V),
}

/// The function a memo remembers.
type Function<K, V> = Box<dyn Fn(&K) -> Deferred<V>>;

/// A function's answers, remembered by key.
pub struct Memo<K, V> {
    function: Function<K, V>,
    entries: RefCell<HashMap<K, Entry<V>>>,
}

impl<K: Clone + Eq + Hash + 'static, V: Clone + 'static> Memo<K, V> {
    /// Remembers `function`'s answers.
    pub fn new(function: impl Fn(&K) -> Deferred<V> + 'static) -> Rc<Memo<K, V>> {
        Rc::new(Memo {
            function: Box::new(function),
            entries: RefCell::new(HashMap::new()),
        })
    }

    /// The answer for `key`: known (a deferred fired already), on its way
    /// (wait with the others), or asked for now.
    pub fn get(self: &Rc<Self>, key: K) -> Deferred<V> {
        let (answer, trigger) = deferred();
        match self.entries.borrow_mut().get_mut(&key) {
            Some(Entry::Known(value)) => return succeed(value.clone()),
            Some(Entry::Waiting(waiting)) => {
                waiting.push(trigger);
                return answer;
            }
            None => {}
        }
        self.entries
            .borrow_mut()
            .insert(key.clone(), Entry::Waiting(vec![trigger]));
        let (memo, failed_memo, failed_key) = (Rc::clone(self), Rc::clone(self), key.clone());
        let _ = (self.function)(&key).add_callbacks(
            move |value: V| memo.settle(&key, Ok(value)),
            move |failure: Failure| failed_memo.settle(&failed_key, Err(failure)),
        );
        answer
    }

    /// The answer for `key` has come: remember it (or forget the key), then
    /// tell everyone waiting.
    fn settle(&self, key: &K, outcome: Result<V, Failure>) {
        let waiting = {
            let mut entries = self.entries.borrow_mut();
            let previous = match &outcome {
                Ok(value) => entries.insert(key.clone(), Entry::Known(value.clone())),
                Err(_) => entries.remove(key),
            };
            match previous {
                Some(Entry::Waiting(waiting)) => waiting,
                _ => Vec::new(),
            }
        };
        for trigger in waiting {
            let _ = match &outcome {
                Ok(value) => trigger.callback(value.clone()),
                // A failure is not `Clone`: each waiter gets its message.
                Err(failure) => trigger.errback(Failure::msg(failure.message())),
            };
        }
    }
}
// ANCHOR_END: memo

/// The pretend downloads under way: who asked, and the trigger to fire.
type Asked = Rc<RefCell<Vec<(String, Trigger<String>)>>>;

fn main() {
    let Args {} = Args::parse();
    // A pretend download: it records who asked, and the demo fires it.
    let asked: Asked = Rc::default();
    let record = Rc::clone(&asked);
    let downloads = Rc::new(Cell::new(0));
    let counted = Rc::clone(&downloads);
    let memo = Memo::new(move |name: &String| {
        println!("  downloading {name}");
        counted.set(counted.get() + 1);
        let (d, trigger) = deferred();
        record.borrow_mut().push((name.clone(), trigger));
        d
    });
    let show = |who: &'static str| {
        move |poem: String| {
            println!("    {who} got {poem:?}");
        }
    };
    println!("Three callers ask for tyger, one for panther:");
    for who in ["first", "second", "third"] {
        let _ = memo.get("tyger".to_string()).add_callback(show(who));
    }
    let _ = memo.get("panther".to_string()).add_callback(show("fourth"));
    println!("The downloads finish:");
    let finished: Vec<_> = asked.borrow_mut().drain(..).collect();
    for (name, trigger) in finished {
        let _ = trigger.callback(format!("the poem {name}"));
    }
    println!("A fifth caller asks for tyger:");
    let _ = memo.get("tyger".to_string()).add_callback(show("fifth"));
    println!("Downloads in all: {}.", downloads.get());
}
