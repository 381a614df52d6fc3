//! A resizable dispatch queue: jobs run through at most `width` workers
//! at once, and the width can change while they run.
//!
//! Asynchronous code makes it easy to start a thousand jobs at once, and
//! that is rarely what the other end wants. A service that sends text
//! messages through a provider may be allowed five requests at a time; a
//! crawler should not open a hundred connections to one site. The queue
//! takes jobs as fast as they come ([`DispatchQueue::put`] returns at once
//! with a deferred for the job's result) and starts them only while fewer
//! than `width` are under way.
//!
//! What makes it more than a semaphore is that it is run *while it runs*:
//!
//! - [`set_width`](DispatchQueue::set_width) grows or shrinks the limit.
//!   Growing starts waiting jobs at once. Shrinking stops nothing: the
//!   jobs under way finish, and new ones start only when the number under
//!   way has dropped below the new width.
//! - [`pause`](DispatchQueue::pause) starts nothing more until
//!   [`resume`](DispatchQueue::resume); jobs under way carry on.
//! - [`stop`](DispatchQueue::stop) starts nothing more, ever, and hands
//!   back the jobs that had not started, once the jobs under way have
//!   finished: what a service saves to run after a restart. The deferreds
//!   of those jobs fail with [`NotStarted`].
//! - Cancelling a job's deferred takes it out of the queue if it has not
//!   started, and cancels the job's own deferred if it has.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use part_07::{CancelHandle, Deferred, Failure, Trigger, deferred, maybe_deferred};
use part_16::DeferredPool;

/// What the deferred of a job that never started fails with, when the
/// queue is stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the queue stopped before the job started")]
pub struct NotStarted;

// ANCHOR: state
/// A queue of jobs run by `run`, at most `width` at a time. Cheap to
/// clone; clones share one queue.
pub struct DispatchQueue<J, R>(Rc<Queue<J, R>>);

/// The queue: the function that runs a job, the state it changes, and
/// part 16's pool, which counts the work under way for `stop` to wait on.
struct Queue<J, R> {
    run: Box<dyn Fn(J) -> Deferred<R>>,
    state: RefCell<State<J, R>>,
    pool: DeferredPool,
}

struct State<J, R> {
    width: usize,
    paused: bool,
    stopped: bool,
    /// Jobs not yet started, in the order they were put.
    waiting: VecDeque<Waiting<J, R>>,
    /// Jobs under way: each one's number, and a handle to cancel its work
    /// (`None` only while its run function is being called).
    underway: Vec<(u64, Option<CancelHandle>)>,
    next_number: u64,
}

/// A job that has not started, and the trigger of the deferred `put` gave.
struct Waiting<J, R> {
    number: u64,
    job: J,
    trigger: Trigger<R>,
}
// ANCHOR_END: state

impl<J: 'static, R: 'static> DispatchQueue<J, R> {
    /// A queue running at most `width` jobs at a time, each with `run`,
    /// which starts the job and returns a deferred for its result.
    pub fn new(width: usize, run: impl Fn(J) -> Deferred<R> + 'static) -> DispatchQueue<J, R> {
        DispatchQueue(Rc::new(Queue {
            run: Box::new(run),
            pool: DeferredPool::new(),
            state: RefCell::new(State {
                width,
                paused: false,
                stopped: false,
                waiting: VecDeque::new(),
                underway: Vec::new(),
                next_number: 0,
            }),
        }))
    }

    // ANCHOR: put
    /// Queues `job`, and returns a deferred for its result; the job starts
    /// now if fewer than `width` are under way. Cancelling the deferred
    /// takes the job out of the queue, or cancels its work if it has
    /// started. A stopped queue hands the job back: `Err(job)`.
    pub fn put(&self, job: J) -> Result<Deferred<R>, J> {
        let number = {
            let mut state = self.0.state.borrow_mut();
            if state.stopped {
                return Err(job);
            }
            state.next_number += 1;
            state.next_number
        };
        let queue = Rc::downgrade(&self.0);
        let (deferred, trigger) =
            Deferred::with_canceller(move |_: &Trigger<R>| withdraw(&queue, number));
        let waiting = Waiting {
            number,
            job,
            trigger,
        };
        self.0.state.borrow_mut().waiting.push_back(waiting);
        self.0.start_what_fits();
        Ok(deferred)
    }
    // ANCHOR_END: put

    // ANCHOR: controls
    /// Changes the width. Wider starts waiting jobs at once; narrower lets
    /// the jobs under way finish, and starts no new one until fewer than
    /// `width` are under way. A width of 0 starts nothing.
    pub fn set_width(&self, width: usize) {
        self.0.state.borrow_mut().width = width;
        self.0.start_what_fits();
    }

    /// Starts no more jobs until [`resume`](DispatchQueue::resume); the
    /// jobs under way carry on.
    pub fn pause(&self) {
        self.0.state.borrow_mut().paused = true;
    }

    /// Starts jobs again, as many as the width allows.
    pub fn resume(&self) {
        self.0.state.borrow_mut().paused = false;
        self.0.start_what_fits();
    }

    /// Starts no more jobs, ever. The deferred returned fires once no job
    /// is under way, with the jobs that had not started, in the order they
    /// were put (their own deferreds fail with [`NotStarted`]). Later
    /// calls get no jobs: the first caller has them.
    pub fn stop(&self) -> Deferred<Vec<J>> {
        let (jobs, triggers): (Vec<J>, Vec<Trigger<R>>) = {
            let mut state = self.0.state.borrow_mut();
            state.stopped = true;
            let waiting = std::mem::take(&mut state.waiting);
            waiting.into_iter().map(|w| (w.job, w.trigger)).unzip()
        };
        // Outside the borrow: their errbacks may use the queue.
        for trigger in triggers {
            let _ = trigger.errback(NotStarted);
        }
        self.0
            .pool
            .notify_when_empty()
            .add_callback(move |()| Ok(jobs))
    }
    // ANCHOR_END: controls

    /// The current width.
    pub fn width(&self) -> usize {
        self.0.state.borrow().width
    }

    /// How many jobs are under way.
    pub fn underway(&self) -> usize {
        self.0.state.borrow().underway.len()
    }

    /// How many jobs are waiting to start.
    pub fn waiting(&self) -> usize {
        self.0.state.borrow().waiting.len()
    }

    /// Whether the queue is paused.
    pub fn is_paused(&self) -> bool {
        self.0.state.borrow().paused
    }

    /// Whether the queue has been stopped.
    pub fn is_stopped(&self) -> bool {
        self.0.state.borrow().stopped
    }
}

impl<J, R> Clone for DispatchQueue<J, R> {
    fn clone(&self) -> DispatchQueue<J, R> {
        DispatchQueue(Rc::clone(&self.0))
    }
}

impl<J, R> std::fmt::Debug for DispatchQueue<J, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.0.state.borrow();
        f.debug_struct("DispatchQueue")
            .field("width", &state.width)
            .field("underway", &state.underway.len())
            .field("waiting", &state.waiting.len())
            .field("paused", &state.paused)
            .field("stopped", &state.stopped)
            .finish()
    }
}

// ANCHOR: start
impl<J: 'static, R: 'static> Queue<J, R> {
    /// Starts waiting jobs, oldest first, while fewer than `width` are
    /// under way (and the queue is neither paused nor stopped).
    fn start_what_fits(self: &Rc<Self>) {
        loop {
            let next = {
                let mut state = self.state.borrow_mut();
                if state.paused || state.stopped || state.underway.len() >= state.width {
                    return;
                }
                let Some(next) = state.waiting.pop_front() else {
                    return;
                };
                state.underway.push((next.number, None));
                next
            };
            self.start(next); // outside the borrow: a job may do anything
        }
    }

    /// Runs one job, and arranges for its outcome to reach its deferred.
    fn start(
        self: &Rc<Self>,
        Waiting {
            number,
            job,
            trigger,
        }: Waiting<J, R>,
    ) {
        // Counted from before its function is called (which may call
        // `stop`) until the step below has run: `stop` waits for it.
        let (counted, done) = deferred::<()>();
        let _ = self.pool.add(counted);
        let work = maybe_deferred(|| (self.run)(job));
        if let Some(mut entry) = self.entry(number) {
            *entry = Some(work.cancel_handle());
        }
        if trigger.is_called() {
            // Only a cancel fires it before the step below: the job was
            // cancelled while its function ran, with no handle yet.
            work.cancel();
        }
        // A strong reference: the queue lives while it has work under way,
        // to start the next job when this one ends, even if every handle
        // on it has been dropped. (The circle this makes, through the
        // cancel handle kept in `underway`, opens when the step runs.)
        let queue = Rc::clone(self);
        // Runs at once if the work has finished already.
        let _ = work.add_both(move |outcome: Result<R, Failure>| {
            queue
                .state
                .borrow_mut()
                .underway
                .retain(|(n, _)| *n != number);
            // Cancelled meanwhile: the deferred has failed already.
            let _ = trigger.fire(outcome);
            queue.start_what_fits();
            let _ = done.callback(());
        });
    }
    // ANCHOR_END: start

    /// The cancel handle slot of job `number`, if it is under way.
    fn entry(&self, number: u64) -> Option<std::cell::RefMut<'_, Option<CancelHandle>>> {
        let state = self.state.borrow_mut();
        std::cell::RefMut::filter_map(state, |state| {
            state
                .underway
                .iter_mut()
                .find(|(n, _)| *n == number)
                .map(|(_, handle)| handle)
        })
        .ok()
    }
}

/// The canceller of job `number`'s deferred: takes the job out of the
/// queue if it is waiting; cancels its work if it is under way.
fn withdraw<J: 'static, R: 'static>(queue: &Weak<Queue<J, R>>, number: u64) {
    let Some(queue) = queue.upgrade() else { return };
    let (removed, work) = {
        let mut state = queue.state.borrow_mut();
        let removed = state
            .waiting
            .iter()
            .position(|w| w.number == number)
            .and_then(|at| state.waiting.remove(at));
        let work = state
            .underway
            .iter()
            .find(|(n, _)| *n == number)
            .and_then(|(_, handle)| handle.clone());
        (removed, work)
    };
    drop(removed); // outside the borrow: it holds a trigger, and a job
    if let Some(work) = work {
        // Its failure comes back through `start`'s step, which frees the
        // place and fires this job's deferred.
        work.cancel();
    }
}
