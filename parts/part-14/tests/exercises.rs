//! The exercise solutions of part 14: the pre-failed `defer-11` run as an
//! example, and the memo compiled here as a module and driven by hand.
//! (The series' other two exercises, a maximum age and single-flight, are
//! `poetry-proxy-2` itself; `tests/proxies.rs` tests them.)

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{Failure, Trigger, deferred};
use testkit::{self, assert_in_order};

#[allow(dead_code)] // its `main` is the example's
#[path = "../examples/part14-ex2-memo.rs"]
mod memo;

#[test]
fn a_prefailed_deferred_runs_errbacks_at_once_and_reports_when_dropped() {
    let output = testkit::run_example_ok("part-14", "part14-ex1-prefailed", &[]);
    assert!(!output.stdout.contains("never printed"));
    assert_in_order(
        &output.stdout,
        &[
            "the callback was skipped; adding an errback",
            "errback got [Failure Message: no poem today",
            "the errback ran inside add_errback.",
            "now the last handle goes:",
            "the failure was reported as the handle was dropped",
        ],
    );
    assert!(
        output
            .stderr
            .contains("Unhandled error in Deferred: [Failure Message: still no poem"),
        "{}",
        output.stderr
    );
}

type Pending = Rc<RefCell<Vec<(u32, Trigger<String>)>>>;

/// A memo over a pretend download that keeps its triggers in `pending`.
fn memo_of(pending: &Pending) -> Rc<memo::Memo<u32, String>> {
    let record = Rc::clone(pending);
    memo::Memo::new(move |key: &u32| {
        let (d, trigger) = deferred();
        record.borrow_mut().push((*key, trigger));
        d
    })
}

type Got = Rc<RefCell<Vec<Result<String, String>>>>;

fn collect(got: &Got) -> impl FnOnce(Result<String, Failure>) + use<> {
    let got = Rc::clone(got);
    move |outcome| got.borrow_mut().push(outcome.map_err(|f| f.message()))
}

#[test]
fn the_memo_asks_once_per_key_and_remembers() {
    let pending: Pending = Rc::default();
    let memo = memo_of(&pending);
    let got: Got = Rc::default();
    for key in [1, 1, 2, 1] {
        let _ = memo.get(key).add_both(collect(&got));
    }
    assert_eq!(pending.borrow().len(), 2, "one call per key");
    assert!(got.borrow().is_empty(), "nothing has arrived yet");
    let finished: Vec<_> = pending.borrow_mut().drain(..).collect();
    for (key, trigger) in finished {
        trigger.callback(format!("poem {key}")).expect("fires once");
    }
    assert_eq!(got.borrow().len(), 4);
    assert_eq!(
        got.borrow()
            .iter()
            .filter(|o| o.as_deref() == Ok("poem 1"))
            .count(),
        3
    );
    // Known now: fired already, and no new call.
    assert!(memo.get(1).is_called());
    assert!(pending.borrow().is_empty());
}

#[test]
fn the_memo_passes_a_failure_to_every_waiter_and_forgets_it() {
    let pending: Pending = Rc::default();
    let memo = memo_of(&pending);
    let got: Got = Rc::default();
    for _ in 0..3 {
        let _ = memo.get(7).add_both(collect(&got));
    }
    let (_, trigger) = pending.borrow_mut().pop().expect("one call");
    trigger
        .errback(Failure::msg("upstream down"))
        .expect("fires once");
    assert_eq!(
        *got.borrow(),
        vec![Err("upstream down".to_string()); 3],
        "every waiter hears the failure"
    );
    // Forgotten: the next get calls the function again.
    let again = memo.get(7);
    assert!(!again.is_called());
    assert_eq!(pending.borrow().len(), 1);
    let _ = again.add_errback(|_| Ok(String::new()));
}
