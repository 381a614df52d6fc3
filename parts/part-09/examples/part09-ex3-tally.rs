//! Part 9, exercise 3: count unhandled failures instead of printing each.
//!
//! A program that runs many chains may prefer one summary at the end to a
//! line on standard error each time a chain is dropped with a failure in it.
//! `Tally` redirects part 7's unhandled-failure report (with
//! `part_07::on_unhandled`) for as long as it lives, and keeps what it is
//! told.
//!
//! ```text
//! cargo run -p part-09 --example part09-ex3-tally
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{Failure, UnhandledGuard, deferred, on_unhandled};

// ANCHOR: solution
/// While it lives, collects this thread's unhandled failures rather than
/// letting them be printed; dropping it puts the previous reporter back.
pub struct Tally {
    seen: Rc<RefCell<Vec<String>>>,
    _guard: UnhandledGuard,
}

impl Tally {
    /// Starts counting.
    pub fn start() -> Tally {
        let seen: Rc<RefCell<Vec<String>>> = Rc::default();
        let keep = Rc::clone(&seen);
        let guard = on_unhandled(move |failure: &Failure| {
            keep.borrow_mut().push(format!(
                "{}: {}",
                failure.short_type_name(),
                failure.message()
            ));
        });
        Tally {
            seen,
            _guard: guard,
        }
    }

    /// The failures reported so far, as `Type: message`, oldest first.
    pub fn failures(&self) -> Vec<String> {
        self.seen.borrow().clone()
    }
}
// ANCHOR_END: solution

/// Chain number `number`: measures `poem`, failing on an empty one, with
/// an errback that recovers only if `handled`.
pub fn one_chain(number: usize, poem: &'static str, handled: bool) {
    let (d, trigger) = deferred::<&str>();
    let d = d.add_callback(move |poem: &str| match poem.len() {
        0 => Err(Failure::msg(format!("poem {number} is empty"))),
        n => Ok(n),
    });
    let _end = if handled { d.add_errback(|_| Ok(0)) } else { d };
    trigger.callback(poem).expect("a new deferred fires");
}

fn main() {
    let tally = Tally::start();
    let chains = [
        ("a poem", false),
        ("", false),
        ("", true),
        ("another poem", false),
        ("", false),
    ];
    for (index, (poem, handled)) in chains.into_iter().enumerate() {
        one_chain(index + 1, poem, handled);
    }
    let failures = tally.failures();
    println!(
        "{} of {} chains ended in a failure nobody handled:",
        failures.len(),
        chains.len()
    );
    for failure in failures {
        println!("  {failure}");
    }
}
