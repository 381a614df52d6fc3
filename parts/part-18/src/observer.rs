//! Observing a deferred list: every outcome of a group of deferreds, told
//! as it happens, to whoever asked, and the group may grow at any time.
//!
//! A [`DeferredList`](crate::DeferredList) answers one question ("are they
//! all done?", or with its options "has one succeeded?", "has one
//! failed?") and is built when its members are known. A
//! [`ListObserver`] answers none: it tells its observers each success and
//! each failure the moment it happens, with the member's index, and lets
//! members be appended whenever they come into being. Any question about
//! the group is then a few lines on top: [`when_first_success`],
//! [`when_first_error`], [`when_all_settled`] and [`when_n_of`] below.
//!
//! The rules:
//!
//! - members are numbered from 0 in the order they are appended;
//! - an observer is told of the events that happen after it was added, in
//!   the order they happen; [`ListObserver::history`] has the earlier ones;
//! - a member appended after it has fired is told about at once;
//! - the observer owns its members: a member's outcome, failure included,
//!   ends at the observer (the observers are its handlers), and
//!   [`ListObserver::cancel_pending`] cancels the members not fired yet;
//! - an observer's callback may append members or add observers; events
//!   that happen meanwhile are queued and told in order after the current
//!   one, never in the middle of it.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

use part_07::{CancelHandle, Deferred, Failure, Trigger, fail, succeed};

/// What an observer is told: the member's index and its outcome.
type Callback<T> = Box<dyn FnMut(usize, &Result<T, Failure>)>;

// ANCHOR: observer
/// A growing group of deferreds whose outcomes are told to observers as
/// they happen. Cheap to clone; clones share the group.
pub struct ListObserver<T>(Rc<RefCell<Group<T>>>);

struct Group<T> {
    /// Each observer, with the number of events that had happened when
    /// it was added: it is told of the events from that one on.
    observers: Vec<(usize, Callback<T>)>,
    /// Members not fired yet, for `cancel_pending`.
    pending: Vec<(usize, CancelHandle)>,
    appended: usize,
    /// Every event so far, in the order they happened.
    history: Vec<(usize, Result<T, Failure>)>,
    /// Events waiting to be told while observers are being told another,
    /// each with its place in `history`.
    queue: VecDeque<(usize, usize, Result<T, Failure>)>,
    telling: bool,
}
// ANCHOR_END: observer

impl<T> Clone for ListObserver<T> {
    fn clone(&self) -> ListObserver<T> {
        ListObserver(Rc::clone(&self.0))
    }
}

impl<T: Clone + 'static> Default for ListObserver<T> {
    fn default() -> Self {
        ListObserver::new()
    }
}

impl<T: Clone + 'static> ListObserver<T> {
    /// An empty group with no observers.
    pub fn new() -> ListObserver<T> {
        ListObserver(Rc::new(RefCell::new(Group {
            observers: Vec::new(),
            pending: Vec::new(),
            appended: 0,
            history: Vec::new(),
            queue: VecDeque::new(),
            telling: false,
        })))
    }

    /// Adds an observer, told of every event from now on.
    pub fn observe(&self, observer: impl FnMut(usize, &Result<T, Failure>) + 'static) {
        let mut group = self.0.borrow_mut();
        let from = group.history.len();
        group.observers.push((from, Box::new(observer)));
    }

    // ANCHOR: append
    /// Adds a member and returns its index. Its outcome ends here.
    pub fn append(&self, member: Deferred<T>) -> usize {
        let index = {
            let mut group = self.0.borrow_mut();
            let index = group.appended;
            group.appended += 1;
            group.pending.push((index, member.cancel_handle()));
            index
        };
        let group = self.clone();
        let _ = member.add_both(move |outcome: Result<T, Failure>| group.told(index, outcome));
        index
    }

    /// Member `index` fired: tell every observer, unless they are being
    /// told of another event, in which case this one waits its turn.
    fn told(&self, index: usize, outcome: Result<T, Failure>) {
        let mut observers = {
            let mut group = self.0.borrow_mut();
            group.pending.retain(|(i, _)| *i != index);
            let event = group.history.len();
            group.history.push((index, outcome.clone()));
            group.queue.push_back((event, index, outcome));
            if group.telling {
                return;
            }
            group.telling = true;
            std::mem::take(&mut group.observers)
        };
        // Outside the borrow: observers may append, observe or fire.
        while let Some((event, index, outcome)) = self.next_event() {
            // An observer added meanwhile skips the events queued before
            // it came: those are in its history already.
            for (from, observer) in &mut observers {
                if event >= *from {
                    observer(index, &outcome);
                }
            }
            observers.append(&mut self.0.borrow_mut().observers);
        }
        let mut group = self.0.borrow_mut();
        observers.append(&mut group.observers);
        group.observers = observers;
        group.telling = false;
    }
    // ANCHOR_END: append

    fn next_event(&self) -> Option<(usize, usize, Result<T, Failure>)> {
        self.0.borrow_mut().queue.pop_front()
    }

    /// How many members have been appended.
    pub fn len(&self) -> usize {
        self.0.borrow().appended
    }

    /// Whether no member has been appended.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many members have not fired yet.
    pub fn pending(&self) -> usize {
        self.0.borrow().pending.len()
    }

    /// Every event so far, `(index, outcome)`, in the order they happened.
    pub fn history(&self) -> Vec<(usize, Result<T, Failure>)> {
        self.0.borrow().history.clone()
    }

    /// Cancels every member that has not fired yet (each then fails with
    /// `CancelledError`, and the observers are told so).
    pub fn cancel_pending(&self) {
        let pending = std::mem::take(&mut self.0.borrow_mut().pending);
        for (_, member) in pending {
            member.cancel();
        }
    }
}

impl<T> fmt::Debug for ListObserver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = self.0.borrow();
        f.debug_struct("ListObserver")
            .field("appended", &group.appended)
            .field("pending", &group.pending.len())
            .field("observers", &group.observers.len())
            .finish()
    }
}

/// What [`when_first_success`] fails with: every member failed. The
/// failures are in the members' order.
#[derive(Clone, Debug, thiserror::Error)]
#[error("all {} members failed", .0.len())]
pub struct AllFailed(pub Vec<Failure>);

/// What [`when_n_of`] fails with at once: fewer than `n` members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot wait for {wanted} of {members} members")]
pub struct NotEnough {
    /// How many were asked for.
    pub wanted: usize,
    /// How many there are.
    pub members: usize,
}

/// A group of `members` whose events go to `on_event` with the trigger of
/// the answer, until the answer has fired. Cancelling the answer cancels
/// the members not fired yet (and their failures are then not told).
fn watch_group<T: Clone + 'static, A: 'static>(
    members: Vec<Deferred<T>>,
    mut on_event: impl FnMut(&Trigger<A>, usize, &Result<T, Failure>) + 'static,
) -> Deferred<A> {
    let group = ListObserver::new();
    let cancelled = Rc::new(Cell::new(false));
    let (for_cancel, flag) = (group.clone(), Rc::clone(&cancelled));
    let (answer, trigger) = Deferred::with_canceller(move |_: &Trigger<A>| {
        flag.set(true);
        for_cancel.cancel_pending();
    });
    group.observe(move |index, outcome| {
        if !trigger.is_called() && !cancelled.get() {
            on_event(&trigger, index, outcome);
        }
    });
    for member in members {
        group.append(member);
    }
    answer
}

// ANCHOR: when
/// Fires with `(index, value)` of the first member to succeed; fails with
/// [`AllFailed`] only when every member has failed.
pub fn when_first_success<T: Clone + 'static>(members: Vec<Deferred<T>>) -> Deferred<(usize, T)> {
    let total = members.len();
    let mut failures = vec![None; total];
    let mut failed = 0;
    watch_group(members, move |answer, index, outcome| match outcome {
        Ok(value) => {
            let _ = answer.callback((index, value.clone()));
        }
        Err(failure) => {
            (failures[index], failed) = (Some(failure.clone()), failed + 1);
            if failed == total {
                let all = failures.drain(..).flatten().collect();
                let _ = answer.errback(AllFailed(all));
            }
        }
    })
    .or_at_once(total == 0, || Err(Failure::new(AllFailed(Vec::new()))))
}

/// Fires with every value, in the members' order, once all have
/// succeeded; fails with the first failure as soon as it happens.
pub fn when_first_error<T: Clone + 'static>(members: Vec<Deferred<T>>) -> Deferred<Vec<T>> {
    let total = members.len();
    let mut values = vec![None; total];
    let mut done = 0;
    watch_group(members, move |answer, index, outcome| match outcome {
        Err(failure) => {
            let _ = answer.errback(failure.clone());
        }
        Ok(value) => {
            (values[index], done) = (Some(value.clone()), done + 1);
            if done == total {
                let _ = answer.callback(values.drain(..).flatten().collect());
            }
        }
    })
    .or_at_once(total == 0, || Ok(Vec::new()))
}

/// Fires with the first `n` outcomes, `(index, outcome)` in the order they
/// happened, as soon as `n` members have fired either way.
pub fn when_n_of<T: Clone + 'static>(
    n: usize,
    members: Vec<Deferred<T>>,
) -> Deferred<Vec<(usize, Result<T, Failure>)>> {
    let total = members.len();
    let mut fired = Vec::new();
    watch_group(members, move |answer, index, outcome| {
        fired.push((index, outcome.clone()));
        if fired.len() == n {
            let _ = answer.callback(std::mem::take(&mut fired));
        }
    })
    .or_at_once(n > total, move || {
        Err(Failure::new(NotEnough {
            wanted: n,
            members: total,
        }))
    })
    .or_at_once(n == 0, || Ok(Vec::new()))
}

/// Fires with every outcome, in the members' order, once all have fired,
/// successes and failures alike. It never fails.
pub fn when_all_settled<T: Clone + 'static>(
    members: Vec<Deferred<T>>,
) -> Deferred<Vec<Result<T, Failure>>> {
    when_n_of(members.len(), members).add_callback(|mut fired: Vec<(usize, _)>| {
        fired.sort_by_key(|(index, _)| *index);
        Ok(fired.into_iter().map(|(_, outcome)| outcome).collect())
    })
}
// ANCHOR_END: when

/// The cases a group can answer before any member fires.
trait OrAtOnce<A> {
    /// If `now`, drops this (unfired) answer and returns one fired with
    /// `outcome()`; the members stay in their group, which ends their
    /// outcomes.
    fn or_at_once(self, now: bool, outcome: impl FnOnce() -> Result<A, Failure>) -> Deferred<A>;
}

impl<A: 'static> OrAtOnce<A> for Deferred<A> {
    fn or_at_once(self, now: bool, outcome: impl FnOnce() -> Result<A, Failure>) -> Deferred<A> {
        if !now {
            return self;
        }
        match outcome() {
            Ok(value) => succeed(value),
            Err(failure) => fail(failure),
        }
    }
}
