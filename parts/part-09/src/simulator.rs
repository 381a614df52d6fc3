//! Runs a [`Chain`] on part 7's real [`Deferred`] and records what happened.
//!
//! Nothing here decides which side of a pair runs: the simulator adds one
//! real callback/errback pair per [`Pair`] of the description, each function
//! writing down what it was given and what it returned, fires the real
//! trigger, and then drops the deferred, with part 7's unhandled-failure
//! reporter redirected so that a report lands in the [`Trace`] too. The
//! drawing is made from that record, so it shows what the Deferred did, not
//! what a model of it predicts.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use part_07::{Deferred, Failure, deferred, on_unhandled};

use crate::chain::{Action, Chain, Fire, Pair};

/// A side of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The callback side, where results travel.
    Callback,
    /// The errback side, where failures travel.
    Errback,
}

/// What travels down the chain, as the simulator writes it down: a result's
/// value, or a failure's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// A result.
    Result(String),
    /// A failure, by its message.
    Failure(String),
}

impl Seen {
    /// Writes down an outcome of the chain.
    fn of(outcome: &Result<String, Failure>) -> Seen {
        match outcome {
            Ok(value) => Seen::Result(value.clone()),
            Err(failure) => Seen::Failure(failure.message()),
        }
    }

    /// The side of the chain this outcome travels on.
    pub fn side(&self) -> Side {
        match self {
            Seen::Result(_) => Side::Callback,
            Seen::Failure(_) => Side::Errback,
        }
    }
}

/// A result is shown quoted, `"poem"`; a failure with a cross, `✗ "no poem"`.
impl fmt::Display for Seen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seen::Result(value) => write!(f, "{value:?}"),
            Seen::Failure(message) => write!(f, "✗ {message:?}"),
        }
    }
}

/// What happened at one pair of the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The pair's number, from 1.
    pub pair: usize,
    /// The side the chain arrived on: the callback's for a result, the
    /// errback's for a failure.
    pub side: Side,
    /// What the function on that side was given.
    pub input: Seen,
    /// What it returned, for the next pair.
    pub output: Seen,
    /// Whether a function of ours ran; `false` when that side of the pair was
    /// empty (`-`) and the Deferred's own pass-through carried the outcome by.
    pub ran: bool,
}

/// Everything one run of a chain did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The chain that ran.
    pub chain: Chain,
    /// What the trigger fired it with.
    pub start: Seen,
    /// One step per pair, in order.
    pub steps: Vec<Step>,
    /// What came out of the last pair (seen by a pass-through watcher added
    /// after it, which returns exactly what it gets).
    pub end: Seen,
    /// Part 7's unhandled-failure report when the deferred was dropped, if
    /// it made one: `[Failure TYPE: MESSAGE]` (without the place where the
    /// failure was made, which is a line of this file).
    pub unhandled: Option<String>,
}

impl Trace {
    /// The path the outcome took through the chain, one letter per pair:
    /// `C` a callback ran, `E` an errback ran; `c` and `e` say the outcome
    /// passed a pair by, on that side, with no function of ours to run.
    pub fn path(&self) -> String {
        self.steps
            .iter()
            .map(|step| match (step.side, step.ran) {
                (Side::Callback, true) => 'C',
                (Side::Errback, true) => 'E',
                (Side::Callback, false) => 'c',
                (Side::Errback, false) => 'e',
            })
            .collect()
    }
}

/// The log the chain's functions write to.
type Log = Rc<RefCell<Vec<Step>>>;

/// What `action`, as pair `pair`'s function, makes of `input`. The new value
/// of `r` is `value N` and the message of `f` is `failure N`, N the pair's
/// number, unless the description gave one.
fn apply(action: &Action, pair: usize, input: Result<String, Failure>) -> Result<String, Failure> {
    match action {
        Action::Pass | Action::Nothing => input,
        Action::Fail(message) => Err(Failure::msg(
            message.clone().unwrap_or_else(|| format!("failure {pair}")),
        )),
        Action::Return(value) => Ok(value.clone().unwrap_or_else(|| format!("value {pair}"))),
    }
}

/// Runs `action` as pair `pair`'s function on `input`, writing it down.
fn run_and_note(
    log: &Log,
    pair: usize,
    action: &Action,
    input: Result<String, Failure>,
) -> Result<String, Failure> {
    let side = if input.is_ok() {
        Side::Callback
    } else {
        Side::Errback
    };
    let seen = Seen::of(&input);
    let output = apply(action, pair, input);
    log.borrow_mut().push(Step {
        pair,
        side,
        input: seen,
        output: Seen::of(&output),
        ran: true,
    });
    output
}

// ANCHOR: add_pair
/// Adds one pair of the description to the real chain, as the Deferred's
/// API would be used by hand: `add_callbacks` for a pair with both sides,
/// `add_callback` or `add_errback` for a pair with one, `add_both` for one
/// function on both sides.
fn add_pair(d: Deferred<String>, number: usize, pair: &Pair, log: &Log) -> Deferred<String> {
    let (log1, log2) = (Rc::clone(log), Rc::clone(log));
    match pair.clone() {
        Pair::Split {
            callback,
            errback: Action::Nothing,
        } => d.add_callback(move |value| run_and_note(&log1, number, &callback, Ok(value))),
        Pair::Split {
            callback: Action::Nothing,
            errback,
        } => d.add_errback(move |failure| run_and_note(&log1, number, &errback, Err(failure))),
        Pair::Split { callback, errback } => d.add_callbacks(
            move |value| run_and_note(&log1, number, &callback, Ok(value)),
            move |failure| run_and_note(&log2, number, &errback, Err(failure)),
        ),
        Pair::Both(action) => {
            d.add_both(move |outcome| run_and_note(&log1, number, &action, outcome))
        }
    }
}
// ANCHOR_END: add_pair

// ANCHOR: simulate
/// Builds the chain on a real [`Deferred`], fires it, drops it, and returns
/// what each pair saw and did.
pub fn simulate(chain: &Chain) -> Trace {
    let log: Log = Rc::default();
    let end: Rc<RefCell<Option<Seen>>> = Rc::default();
    let report: Rc<RefCell<Option<String>>> = Rc::default();

    let (d, trigger) = deferred::<String>();
    let mut d = d;
    for (index, pair) in chain.pairs.iter().enumerate() {
        d = add_pair(d, index + 1, pair, &log);
    }
    // A watcher at the end: it notes what comes out and passes it on as it
    // is, so a failure stays unhandled.
    let watched = Rc::clone(&end);
    let d = d.add_both(move |outcome: Result<String, Failure>| {
        *watched.borrow_mut() = Some(Seen::of(&outcome));
        outcome
    });

    let start = match &chain.fire {
        Fire::Result(value) => {
            let _ = trigger.callback(value.clone());
            Seen::Result(value.clone())
        }
        Fire::Failure(message) => {
            let _ = trigger.errback(Failure::msg(message.clone()));
            Seen::Failure(message.clone())
        }
    };

    // Drop both handles with the reporter pointed at our trace: the chain
    // reports an unhandled failure, if it holds one, as the last handle goes.
    let noted = Rc::clone(&report);
    let guard = on_unhandled(move |failure| {
        *noted.borrow_mut() = Some(format!(
            "[Failure {}: {}]",
            failure.short_type_name(),
            failure.message()
        ));
    });
    drop(d);
    drop(trigger);
    drop(guard);

    let steps = with_pass_throughs(chain, &start, log.take());
    let end = end.take().unwrap_or_else(|| start.clone());
    Trace {
        chain: chain.clone(),
        start,
        steps,
        end,
        unhandled: report.take(),
    }
}
// ANCHOR_END: simulate

/// Adds a step for each pair none of whose functions ran: the outcome
/// arrived on its empty side (`-`) and the Deferred passed it on unchanged.
fn with_pass_throughs(chain: &Chain, start: &Seen, ran: Vec<Step>) -> Vec<Step> {
    let mut ran = ran.into_iter().peekable();
    let mut steps = Vec::with_capacity(chain.pairs.len());
    let mut current = start.clone();
    for number in 1..=chain.pairs.len() {
        let step = match ran.next_if(|step| step.pair == number) {
            Some(step) => step,
            None => Step {
                pair: number,
                side: current.side(),
                input: current.clone(),
                output: current.clone(),
                ran: false,
            },
        };
        current = step.output.clone();
        steps.push(step);
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Trace {
        simulate(&Chain::parse(line).unwrap())
    }

    #[test]
    fn each_step_sees_what_the_one_before_returned() {
        let trace = run("result:a r:b/p p/p f/p p/r:c");
        assert_eq!(trace.path(), "CCCE");
        let inputs: Vec<String> = trace.steps.iter().map(|s| s.input.to_string()).collect();
        assert_eq!(inputs, ["\"a\"", "\"b\"", "\"b\"", "✗ \"failure 3\""]);
        assert_eq!(trace.end, Seen::Result("c".into()));
        assert_eq!(trace.unhandled, None);
    }

    #[test]
    fn empty_sides_pass_the_outcome_by() {
        let trace = run("failure r/- -/p p/- r/-");
        assert_eq!(trace.path(), "eEee");
        assert!(
            trace
                .steps
                .iter()
                .all(|s| s.output == Seen::Failure("no poem".into()))
        );
        assert_eq!(
            trace.unhandled.as_deref(),
            Some("[Failure Message: no poem]")
        );
    }

    #[test]
    fn add_both_runs_on_either_side() {
        let trace = run("result f/p r p f");
        assert_eq!(trace.path(), "CECC");
        assert_eq!(trace.end, Seen::Failure("failure 4".into()));
    }

    #[test]
    fn the_reporter_is_restored_after_a_run() {
        let reports = Rc::new(RefCell::new(0));
        let counted = Rc::clone(&reports);
        let _guard = on_unhandled(move |_| *counted.borrow_mut() += 1);
        let trace = run("failure");
        assert!(trace.unhandled.is_some());
        assert_eq!(*reports.borrow(), 0, "the simulator's own reporter took it");
        drop(part_07::fail::<u8>(Failure::msg("after the run")));
        assert_eq!(*reports.borrow(), 1, "ours is back");
    }
}
