//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module and its solution run
//! here, beside part 7's real Deferred.

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{Failure, deferred, on_unhandled};
use part_09::{Action, Chain, Fire, Pair, simulate};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part09-ex1-finally.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part09-ex2-combinators.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part09-ex3-tally.rs"]
mod ex3;

/// What one run of `finally` saw: how often the cleanup ran, what reached
/// the callback after it, and what was reported on drop.
fn run_finally(fire_ok: bool) -> (usize, Vec<String>, Vec<String>) {
    let cleanups = Rc::new(RefCell::new(0));
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let reported: Rc<RefCell<Vec<String>>> = Rc::default();
    let report = Rc::clone(&reported);
    let _guard = on_unhandled(move |f| report.borrow_mut().push(f.message()));
    {
        let (d, trigger) = deferred::<u32>();
        let counted = Rc::clone(&cleanups);
        let d = ex1::finally(d, move || *counted.borrow_mut() += 1);
        let noted = Rc::clone(&seen);
        let _end = d.add_callback(move |n: u32| {
            noted.borrow_mut().push(format!("callback got {n}"));
            Ok::<u32, Failure>(n)
        });
        if fire_ok {
            trigger.callback(7).unwrap();
        } else {
            trigger.errback(Failure::msg("broken")).unwrap();
        }
    }
    (cleanups.take(), seen.take(), reported.take())
}

#[test]
fn ex1_finally_runs_either_way_and_changes_nothing() {
    assert_eq!(
        run_finally(true),
        (1, vec!["callback got 7".to_string()], vec![])
    );
    assert_eq!(
        run_finally(false),
        (1, vec![], vec!["broken".to_string()]),
        "the failure went past the cleanup, unhandled"
    );
}

/// Every pair the simulator knows, with default values.
fn every_pair() -> Vec<Pair> {
    let actions = [
        Action::Pass,
        Action::Fail(None),
        Action::Return(None),
        Action::Nothing,
    ];
    let mut pairs = Vec::new();
    for callback in &actions {
        for errback in &actions {
            if (callback, errback) != (&Action::Nothing, &Action::Nothing) {
                pairs.push(Pair::Split {
                    callback: callback.clone(),
                    errback: errback.clone(),
                });
            }
        }
        if callback != &Action::Nothing {
            pairs.push(Pair::Both(callback.clone()));
        }
    }
    pairs
}

#[test]
fn ex2_result_combinators_end_every_short_chain_as_the_deferred_does() {
    let pairs = every_pair();
    assert_eq!(pairs.len(), 18);
    let mut chains = vec![Vec::new()];
    let mut all = Vec::new();
    for _ in 0..3 {
        chains = chains
            .iter()
            .flat_map(|chain: &Vec<Pair>| {
                pairs.iter().map(move |pair| {
                    let mut longer = chain.clone();
                    longer.push(pair.clone());
                    longer
                })
            })
            .collect();
        all.extend(chains.iter().cloned());
    }
    assert_eq!(all.len(), 18 + 18 * 18 + 18 * 18 * 18);
    for pairs in all {
        for fire in [Fire::Result("poem".into()), Fire::Failure("no poem".into())] {
            let chain = Chain {
                fire,
                pairs: pairs.clone(),
            };
            assert_eq!(ex2::end_of(&chain), ex2::end_on_deferred(&chain), "{chain}");
        }
    }
}

#[test]
fn ex2_and_then_or_else_is_two_pairs_not_one() {
    // `f/r` as one pair: the errback of pair 1 never sees the callback's failure.
    let pair = Chain::parse("result f/r").unwrap();
    assert_eq!(ex2::end_of(&pair), Err("failure 1".to_string()));
    assert_eq!(ex2::end_on_deferred(&pair), Err("failure 1".to_string()));
    // `.and_then(f).or_else(r)` is `f/-` followed by `-/r`: the errback does.
    let two = Chain::parse("result f/- -/r").unwrap();
    assert_eq!(ex2::end_on_deferred(&two), Ok("value 2".to_string()));
    assert_eq!(ex2::end_of(&two), Ok("value 2".to_string()));
    assert_eq!(simulate(&two).steps.len(), 2);
}

#[test]
fn ex3_tally_keeps_the_unhandled_failures_and_gives_the_reporter_back() {
    let outside: Rc<RefCell<Vec<String>>> = Rc::default();
    let keep = Rc::clone(&outside);
    let _outer = on_unhandled(move |f| keep.borrow_mut().push(f.message()));
    {
        let tally = ex3::Tally::start();
        ex3::one_chain(1, "a poem", false);
        ex3::one_chain(2, "", false);
        ex3::one_chain(3, "", true);
        ex3::one_chain(4, "", false);
        assert_eq!(
            tally.failures(),
            ["Message: poem 2 is empty", "Message: poem 4 is empty"]
        );
    }
    assert!(outside.borrow().is_empty(), "the tally took them all");
    ex3::one_chain(5, "", false);
    assert_eq!(
        *outside.borrow(),
        ["poem 5 is empty"],
        "and the reporter before it is back"
    );
}
