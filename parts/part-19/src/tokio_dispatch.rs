//! The dispatch queue on tokio: a `Semaphore` whose permits are the
//! width.
//!
//! Each job is a task that takes a permit before it runs and gives it
//! back when it ends, so at most `width` run at once. Tokio's semaphore is
//! fair (first come, first served), so jobs start in the order they were
//! put, and the controls become permit arithmetic:
//!
//! - **wider**: `add_permits`, and waiting jobs start at once;
//! - **narrower**: forget the permits that are free now, and count the
//!   rest as a debt: a job that ends while there is a debt forgets its
//!   permit instead of giving it back. No job is stopped, and no new one
//!   starts until the number running is below the new width;
//! - **pause**: the same arithmetic with a width of 0, and **resume**
//!   puts the width back. Jobs keep waiting in the semaphore's line, so
//!   they start in the order they were put. (Holding paused jobs at a
//!   `watch` channel instead would lose that order: a watch wakes its
//!   waiters in no fixed order.)
//! - **stop**: `close` the semaphore; every job not yet started is handed
//!   back at once, and the running jobs finish.
//!
//! What the deferred version does in one place (its state), this one does
//! with permits; what it gains is that nothing here needs a canceller:
//! aborting a job's task, running or waiting, is the cancel.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

// ANCHOR: tokio_dispatch
/// Jobs run by `run`, at most `width` at a time. Its tasks are local
/// (`spawn_local`): use it inside a `LocalSet`.
pub struct TokioDispatch<J, F> {
    run: Rc<dyn Fn(J) -> F>,
    permits: Arc<Semaphore>,
    width: Cell<usize>,
    paused: Cell<bool>,
    /// Permits still to be forgotten after a shrink (or a pause).
    debt: Rc<Cell<usize>>,
}

impl<J: 'static, F: Future + 'static> TokioDispatch<J, F> {
    /// A queue of width `width` whose jobs are run by `run`.
    pub fn new(width: usize, run: impl Fn(J) -> F + 'static) -> Self {
        TokioDispatch {
            run: Rc::new(run),
            permits: Arc::new(Semaphore::new(width)),
            width: Cell::new(width),
            paused: Cell::new(false),
            debt: Rc::default(),
        }
    }

    /// Queues `job`: its task waits in line for a permit, then runs it. The handle gives the output, or `Err(job)` if the queue was
    /// stopped first. Aborting the handle cancels the job, waiting or not.
    pub fn put(&self, job: J) -> JoinHandle<Result<F::Output, J>> {
        let (run, permits) = (Rc::clone(&self.run), Arc::clone(&self.permits));
        let debt = Rc::clone(&self.debt);
        tokio::task::spawn_local(async move {
            let Ok(permit) = permits.acquire_owned().await else {
                return Err(job); // stopped before it started
            };
            let _place = Place {
                permit: Some(permit),
                debt,
            };
            Ok(run(job).await)
        })
    }

    /// Changes the width; narrower lets running jobs finish first.
    /// While paused, the new width takes effect on resume.
    pub fn set_width(&self, width: usize) {
        let old = self.width.replace(width);
        if !self.paused.get() {
            self.resize(old, width);
        }
    }

    /// Starts no more jobs until [`resume`](TokioDispatch::resume); the
    /// running jobs carry on.
    pub fn pause(&self) {
        if !self.paused.replace(true) {
            self.resize(self.width.get(), 0);
        }
    }

    /// Starts jobs again, in the order they were put.
    pub fn resume(&self) {
        if self.paused.replace(false) {
            self.resize(0, self.width.get());
        }
    }

    /// Starts no more jobs, ever: those waiting hand their jobs back
    /// through their handles; those running finish.
    pub fn stop(&self) {
        self.permits.close();
    }

    /// Permit arithmetic for a width going from `old` to `new`: a wider
    /// queue first pays off its debt, then adds permits; a narrower one
    /// forgets the permits that are free and owes the rest.
    fn resize(&self, old: usize, new: usize) {
        let debt = self.debt.get();
        if new >= old {
            let repaid = debt.min(new - old);
            self.debt.set(debt - repaid);
            self.permits.add_permits(new - old - repaid);
        } else {
            let cut = old - new;
            self.debt.set(debt + cut - self.permits.forget_permits(cut));
        }
    }
}

/// A job's place: when the job ends (or is aborted), its permit goes back,
/// unless the queue was narrowed meanwhile; then it is forgotten, and the
/// queue has one place fewer.
struct Place {
    permit: Option<OwnedSemaphorePermit>,
    debt: Rc<Cell<usize>>,
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take()
            && self.debt.get() > 0
        {
            self.debt.set(self.debt.get() - 1);
            permit.forget();
        }
    }
}

// ANCHOR_END: tokio_dispatch
