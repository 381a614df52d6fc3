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
//! - **pause**: a `watch` channel that a job consults once it has its
//!   permit: the first job in line waits there, holding its permit, and
//!   the rest wait in line behind it, so they start in order on resume;
//! - **stop**: `close` the semaphore and say so on the channel; every job
//!   not yet started gets its job back at once, and the running jobs
//!   finish.
//!
//! What the deferred version does in one place (its state), this one
//! spreads over three tokio tools; what it gains is that nothing here
//! needs a canceller: aborting a job's task, running or waiting, is the
//! cancel.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinHandle;

// ANCHOR: tokio_dispatch
/// Jobs run by `run`, at most `width` at a time. Its tasks are local
/// (`spawn_local`): use it inside a `LocalSet`.
pub struct TokioDispatch<J, F> {
    run: Rc<dyn Fn(J) -> F>,
    permits: Arc<Semaphore>,
    width: Cell<usize>,
    /// Permits still to be forgotten after a shrink.
    debt: Rc<Cell<usize>>,
    mode: watch::Sender<Mode>,
}

/// Whether jobs may start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Running,
    Paused,
    Stopped,
}

impl<J: 'static, F: Future + 'static> TokioDispatch<J, F> {
    /// A queue of width `width` whose jobs are run by `run`.
    pub fn new(width: usize, run: impl Fn(J) -> F + 'static) -> Self {
        TokioDispatch {
            run: Rc::new(run),
            permits: Arc::new(Semaphore::new(width)),
            width: Cell::new(width),
            debt: Rc::default(),
            mode: watch::Sender::new(Mode::Running),
        }
    }

    /// Queues `job`: its task waits for a permit (and for no pause), then
    /// runs it. The handle gives the output, or `Err(job)` if the queue was
    /// stopped first. Aborting the handle cancels the job, waiting or not.
    pub fn put(&self, job: J) -> JoinHandle<Result<F::Output, J>> {
        let (run, permits) = (Rc::clone(&self.run), Arc::clone(&self.permits));
        let (debt, mut mode) = (Rc::clone(&self.debt), self.mode.subscribe());
        tokio::task::spawn_local(async move {
            let Ok(permit) = permits.acquire_owned().await else {
                return Err(job); // stopped before it started
            };
            let _place = Place {
                permit: Some(permit),
                debt,
            };
            match mode.wait_for(|mode| *mode != Mode::Paused).await {
                Ok(mode) if *mode == Mode::Running => {}
                _ => return Err(job), // stopped while paused
            }
            Ok(run(job).await)
        })
    }

    /// Changes the width; narrower lets running jobs finish first.
    pub fn set_width(&self, width: usize) {
        let old = self.width.replace(width);
        let debt = self.debt.get();
        if width >= old {
            let repaid = debt.min(width - old);
            self.debt.set(debt - repaid);
            self.permits.add_permits(width - old - repaid);
        } else {
            let cut = old - width;
            self.debt.set(debt + cut - self.permits.forget_permits(cut));
        }
    }

    /// Starts no more jobs until [`resume`](TokioDispatch::resume).
    pub fn pause(&self) {
        self.mode
            .send_if_modified(|mode| change(mode, Mode::Paused));
    }

    /// Starts jobs again.
    pub fn resume(&self) {
        self.mode
            .send_if_modified(|mode| change(mode, Mode::Running));
    }

    /// Starts no more jobs, ever: those waiting hand their jobs back
    /// through their handles; those running finish.
    pub fn stop(&self) {
        self.mode.send_replace(Mode::Stopped);
        self.permits.close();
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

/// Sets `mode` to `to`, unless the queue has stopped (for good).
fn change(mode: &mut Mode, to: Mode) -> bool {
    let changed = *mode != Mode::Stopped && *mode != to;
    if changed {
        *mode = to;
    }
    changed
}
// ANCHOR_END: tokio_dispatch
