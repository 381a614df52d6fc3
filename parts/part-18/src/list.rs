//! `DeferredList`: one deferred that waits for many.
//!
//! A list is built from deferreds that will fire in any order, and hands
//! back one deferred of its own. The list adds one step to each member's
//! chain; the step writes the member's outcome into the member's slot (so
//! the outcomes come out in the order the members were *given*, whatever
//! order they fire in) and counts down. When the count reaches zero the
//! list fires with every outcome, successes and failures alike.
//!
//! Three options change that:
//!
//! - `fire_on_one_callback`: the first member to succeed fires the list at
//!   once, with its value and its index ([`ListResult::First`]);
//! - `fire_on_one_errback`: the first member to fail fails the list at
//!   once, with a [`FirstError`] that carries the failure and its index;
//! - `consume_errors`: a member's failure stops at the list's step. Without
//!   it the failure goes on down the member's own chain, where an errback
//!   added later can handle it, and where it is reported as unhandled if
//!   none does: the list has seen the failure, but it has not handled it.
//!
//! The members' values are cloned: one copy goes into the list, the other
//! goes on down the member's chain, as in Twisted, where the same object
//! does both.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use part_07::{Deferred, Failure, Trigger, deferred};

// ANCHOR: options
/// How a [`DeferredList`] fires: all `false` by default (wait for every
/// member, and leave failures in the members' chains).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Fire the list with the first member that succeeds.
    pub fire_on_one_callback: bool,
    /// Fail the list with the first member that fails.
    pub fire_on_one_errback: bool,
    /// Let no member's failure go on down that member's chain.
    pub consume_errors: bool,
}
// ANCHOR_END: options

/// What a list fires with.
#[derive(Clone, Debug)]
pub enum ListResult<T> {
    /// Every member's outcome, in the order the members were given: an
    /// `Ok` is Twisted's `(True, value)`, an `Err` its `(False, failure)`.
    All(Vec<Result<T, Failure>>),
    /// With `fire_on_one_callback`: the first value, and which member
    /// (counted from 0) it came from.
    First {
        /// The value.
        value: T,
        /// The member's place in the list.
        index: usize,
    },
}

impl<T> ListResult<T> {
    /// The outcomes of [`ListResult::All`]; `None` for a `First`.
    pub fn into_all(self) -> Option<Vec<Result<T, Failure>>> {
        match self {
            ListResult::All(all) => Some(all),
            ListResult::First { .. } => None,
        }
    }
}

/// What a list with `fire_on_one_errback` fails with: the first failure,
/// and which member (counted from 0) it came from.
#[derive(Clone, Debug, thiserror::Error)]
#[error("member {index} of the list failed: {failure}")]
pub struct FirstError {
    /// The member's failure.
    pub failure: Failure,
    /// The member's place in the list.
    pub index: usize,
}

/// Formats outcomes as Twisted prints a list's result:
/// `[(true, "a"), (false, [Failure …])]`.
pub fn pairs<T: fmt::Debug>(outcomes: &[Result<T, Failure>]) -> String {
    let shown: Vec<String> = outcomes
        .iter()
        .map(|outcome| match outcome {
            Ok(value) => format!("(true, {value:?})"),
            Err(failure) => format!("(false, {failure})"),
        })
        .collect();
    format!("[{}]", shown.join(", "))
}

// ANCHOR: collect
/// What the list's steps share: a slot per member, how many are still to
/// fire, and the list's trigger until the list has fired.
struct Collect<T> {
    slots: Vec<Option<Result<T, Failure>>>,
    remaining: usize,
    trigger: Option<Trigger<ListResult<T>>>,
    options: ListOptions,
}

/// What to fire the list with, decided while the state is borrowed and
/// done after the borrow has ended (the list's callbacks may do anything).
enum Fire<T> {
    Not,
    With(Trigger<ListResult<T>>, Result<ListResult<T>, Failure>),
}

impl<T: Clone> Collect<T> {
    /// Member `index` has fired with `outcome`.
    fn member_fired(&mut self, index: usize, outcome: &Result<T, Failure>) -> Fire<T> {
        self.slots[index] = Some(outcome.clone());
        self.remaining -= 1;
        let first = match outcome {
            Ok(value) if self.options.fire_on_one_callback => Some(Ok(ListResult::First {
                value: value.clone(),
                index,
            })),
            Err(failure) if self.options.fire_on_one_errback => {
                Some(Err(Failure::new(FirstError {
                    failure: failure.clone(),
                    index,
                })))
            }
            _ if self.remaining == 0 => Some(Ok(self.all())),
            _ => None,
        };
        match (first, self.trigger.take()) {
            (Some(outcome), Some(trigger)) => Fire::With(trigger, outcome),
            (_, trigger) => {
                self.trigger = trigger;
                Fire::Not
            }
        }
    }

    /// Every outcome, in the members' order.
    fn all(&mut self) -> ListResult<T> {
        ListResult::All(
            self.slots
                .iter_mut()
                .map(|slot| slot.take().expect("every member has fired"))
                .collect(),
        )
    }
}
// ANCHOR_END: collect

/// A deferred that fires once its members have (see the [module](self)).
pub struct DeferredList<T> {
    deferred: Deferred<ListResult<T>>,
    members: Vec<Deferred<Option<T>>>,
}

impl<T: Clone + 'static> DeferredList<T> {
    // ANCHOR: new
    /// A list of `deferreds`, firing as `options` say. An empty list has
    /// fired already, with no outcomes.
    pub fn new(deferreds: Vec<Deferred<T>>, options: ListOptions) -> DeferredList<T> {
        let (deferred, trigger) = deferred();
        let collect = Rc::new(RefCell::new(Collect {
            slots: deferreds.iter().map(|_| None).collect(),
            remaining: deferreds.len(),
            trigger: Some(trigger),
            options,
        }));
        if deferreds.is_empty() {
            let trigger = collect.borrow_mut().trigger.take();
            if let Some(trigger) = trigger {
                let _ = trigger.callback(ListResult::All(Vec::new()));
            }
        }
        let members = deferreds
            .into_iter()
            .enumerate()
            .map(|(index, member)| {
                let collect = Rc::clone(&collect);
                member.add_both(move |outcome: Result<T, Failure>| {
                    let fire = collect.borrow_mut().member_fired(index, &outcome);
                    if let Fire::With(trigger, result) = fire {
                        let _ = trigger.fire(result);
                    }
                    match outcome {
                        Ok(value) => Ok(Some(value)),
                        Err(_) if options.consume_errors => Ok(None),
                        Err(failure) => Err(failure),
                    }
                })
            })
            .collect();
        DeferredList { deferred, members }
    }
    // ANCHOR_END: new

    /// The list's own deferred; the members' chains go on without anyone
    /// holding them (a failure left in one is reported as unhandled).
    pub fn into_deferred(self) -> Deferred<ListResult<T>> {
        self.deferred
    }

    /// The list's deferred, and each member's chain as it goes on after the
    /// list's step: `Some(value)` for a value, `None` for a failure the list
    /// consumed, a failure for one it did not.
    pub fn into_parts(self) -> (Deferred<ListResult<T>>, Vec<Deferred<Option<T>>>) {
        (self.deferred, self.members)
    }
}

// ANCHOR: gather
/// Twisted's `gatherResults`: the members' values, in the members' order,
/// or a [`FirstError`] as soon as one member fails. With `consume_errors`,
/// the members' failures (the first one included) stop at the list.
pub fn gather_results<T: Clone + 'static>(
    deferreds: Vec<Deferred<T>>,
    consume_errors: bool,
) -> Deferred<Vec<T>> {
    let options = ListOptions {
        fire_on_one_errback: true,
        consume_errors,
        ..ListOptions::default()
    };
    DeferredList::new(deferreds, options)
        .into_deferred()
        .add_callback(|result: ListResult<T>| match result {
            ListResult::All(all) => all.into_iter().collect::<Result<Vec<T>, Failure>>(),
            ListResult::First { .. } => unreachable!("gather_results never fires on one callback"),
        })
}
// ANCHOR_END: gather
