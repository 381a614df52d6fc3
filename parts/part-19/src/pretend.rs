//! Pretend work for the building blocks' examples and tests: a deferred
//! fired by a timed call, with a canceller that cancels the timed call,
//! and a log that says, with the reactor's time, what happened.
//!
//! It is the producer of `defer-cancel-11` made reusable: the work is a
//! timed call, so that on a virtual clock the examples print the same
//! lines every time, and the tests can check the times exactly.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use part_03::{DelayedCall, Reactor};
use part_07::{Deferred, Failure, Trigger};

/// Lines stamped with the reactor's time. Cheap to clone; clones share
/// the lines.
#[derive(Clone)]
pub struct Log {
    reactor: Reactor,
    lines: Rc<RefCell<Vec<String>>>,
    print: bool,
}

impl Log {
    /// A log that also prints each line as it is written (for examples).
    pub fn printing(reactor: &Reactor) -> Log {
        Log {
            reactor: reactor.clone(),
            lines: Rc::default(),
            print: true,
        }
    }

    /// A log that only keeps its lines (for tests).
    pub fn quiet(reactor: &Reactor) -> Log {
        Log {
            print: false,
            ..Log::printing(reactor)
        }
    }

    /// Writes `line`, stamped with the time: `"2.0 s  line"`.
    pub fn say(&self, line: impl AsRef<str>) {
        let stamped = format!(
            "{:.1} s  {}",
            self.reactor.now().as_secs_f64(),
            line.as_ref()
        );
        if self.print {
            println!("{stamped}");
        }
        self.lines.borrow_mut().push(stamped);
    }

    /// The reactor's time now.
    pub fn now(&self) -> Duration {
        self.reactor.now()
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.borrow().clone()
    }
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.lines.borrow().iter()).finish()
    }
}

/// Work called `name` that ends after `delay` with `outcome`, unless it is
/// cancelled first. Logs `"name: done"` or `"name: fails"` when it ends,
/// and `"name: stopped"` when a cancel stops it.
pub fn slow<T: 'static>(
    log: &Log,
    name: &str,
    delay: Duration,
    outcome: Result<T, Failure>,
) -> Deferred<T> {
    let timed_call: Rc<Cell<Option<DelayedCall>>> = Rc::default();
    let (deferred, trigger) = Deferred::with_canceller({
        let (timed_call, log, name) = (Rc::clone(&timed_call), log.clone(), name.to_string());
        move |_: &Trigger<T>| {
            if let Some(call) = timed_call.take() {
                let _ = call.cancel();
                log.say(format!("{name}: stopped"));
            }
        }
    });
    let reactor = log.reactor.clone();
    let (finished, log, name) = (Rc::clone(&timed_call), log.clone(), name.to_string());
    let call = reactor.call_later(delay, move || {
        finished.take();
        let verb = if outcome.is_ok() { "done" } else { "fails" };
        log.say(format!("{name}: {verb}"));
        let _ = trigger.fire(outcome);
    });
    timed_call.set(Some(call));
    deferred
}
