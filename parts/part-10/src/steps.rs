//! The callbacks and errbacks of client 5.0 and 5.1, one method each.
//!
//! Both clients are made of the same steps; they differ only in where they
//! put them on each poem's chain. So the steps live here, once, and each
//! program is its arrangement: a few `add_*` calls (see `src/bin/`).
//!
//! A [`Run`] holds what the steps of one run share: the poems kept so far,
//! the countdown that stops the reactor, and each task's [`Steps`], with
//! that task's own dice for cummingsify and its own [`Route`] for the
//! drawings.

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use part_02::{FetchError, report};
use part_03::Reactor;
use part_06::{Countdown, Task, print_summary, summary};
use part_07::{Deferred, Failure, succeed};

use crate::cummingsify::{CummingsifyError, Dice, GibberishError, cummingsify, task_dice};
use crate::lines;
use crate::route::{Arrangement, Route, draw};

/// The poems kept so far, by task (task N at N - 1).
type Poems = Rc<RefCell<Vec<Option<String>>>>;

/// One run of client 5.0 or 5.1: what its callbacks share.
#[derive(Debug)]
pub struct Run {
    poems: Poems,
    routes: Vec<Route>,
    start: Instant,
}

impl Run {
    /// A run of `tasks` on `reactor`: the shared state, and the steps of
    /// each task, whose dice are forked from `seed` in task order. With
    /// `print`, `got_poem` prints each poem it keeps.
    pub fn new(reactor: &Reactor, tasks: &[Task], seed: u64, print: bool) -> (Run, Vec<Steps>) {
        let poems: Poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
        let countdown = Countdown::new(reactor, tasks.len());
        let steps: Vec<Steps> = tasks
            .iter()
            .zip(task_dice(seed, tasks.len()))
            .map(|(task, dice)| Steps {
                task: task.clone(),
                dice: Rc::new(RefCell::new(dice)),
                poems: Rc::clone(&poems),
                route: Route::new(),
                countdown: countdown.clone(),
                print,
            })
            .collect();
        let run = Run {
            poems,
            routes: steps.iter().map(|steps| steps.route.clone()).collect(),
            start: Instant::now(),
        };
        (run, steps)
    }

    /// The poems kept, by task: transformed, original, or none.
    pub fn poems(&self) -> Vec<Option<String>> {
        self.poems.borrow().clone()
    }

    /// Each task's route, in task order.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The drawing of every task's chain, on `arrangement`.
    pub fn chains(&self, arrangement: Arrangement) -> Vec<String> {
        let mut lines = Vec::new();
        for (number, route) in (1..).zip(&self.routes) {
            lines.push(format!("Task {number}'s chain:"));
            lines.extend(draw(arrangement, route));
        }
        lines
    }

    /// The closing lines: each poem's size, and the total time.
    pub fn summary(&self) -> Vec<String> {
        summary(&as_bytes(&self.poems()), self.start.elapsed())
    }

    /// Prints the closing lines and returns the exit code: a failure,
    /// with a closing `error:` line, unless every task kept a poem.
    pub fn finish(&self) -> ExitCode {
        print_summary(&as_bytes(&self.poems()), self.start.elapsed())
    }
}

/// The poems as bytes, as part 6's summary counts them.
fn as_bytes(poems: &[Option<String>]) -> Vec<Option<Vec<u8>>> {
    poems
        .iter()
        .map(|poem| poem.as_ref().map(|poem| poem.as_bytes().to_vec()))
        .collect()
}

/// The callbacks and errbacks of one task. Each method makes one step, to
/// be added to the task's chain once.
#[derive(Clone, Debug)]
pub struct Steps {
    task: Task,
    dice: Rc<RefCell<Dice>>,
    poems: Poems,
    route: Route,
    countdown: Countdown,
    print: bool,
}

impl Steps {
    /// The task these steps are for.
    pub fn task(&self) -> &Task {
        &self.task
    }

    /// The task's route: the steps that ran, for the drawings.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// The task's dice, shared by every step that throws them.
    pub fn dice(&self) -> Rc<RefCell<Dice>> {
        Rc::clone(&self.dice)
    }

    // ANCHOR: cummingsify_step
    /// The transform, as a callback: the poem's bytes in, the poem in lower
    /// case out; or a failure, of type `FromUtf8Error` (not text),
    /// [`GibberishError`] (carrying the original poem) or
    /// [`CummingsifyBug`](crate::CummingsifyBug).
    pub fn cummingsify(&self) -> impl FnOnce(Vec<u8>) -> Result<String, Failure> + 'static {
        let (task, dice) = (self.task.clone(), self.dice());
        self.route.step("cummingsify", move |poem: Vec<u8>| {
            let poem = String::from_utf8(poem)?;
            let poem = cummingsify(poem, &mut dice.borrow_mut())
                .map_err(|error: CummingsifyError| error.into_failure())?;
            task.printer.out(&lines::cummingsified(task.number));
            Ok(poem)
        })
    }
    // ANCHOR_END: cummingsify_step

    // ANCHOR: keep_the_original
    /// The errback for the transform: gibberish is recovered from, by
    /// going on with the original poem, which the failure carries; any
    /// other failure goes on down the chain as it came.
    pub fn keep_the_original(&self) -> impl FnOnce(Failure) -> Result<String, Failure> + 'static {
        let task = self.task.clone();
        self.route
            .step("keep_the_original", move |failure: Failure| {
                let gibberish = failure.trap::<GibberishError>()?;
                task.printer.out(&lines::kept_the_original(task.number));
                Ok(gibberish.into_original())
            })
    }
    // ANCHOR_END: keep_the_original

    // ANCHOR: try_to_cummingsify
    /// Client 5.0's callback: the transform and its errback on a chain of
    /// their own, which starts from this poem, so the errback can only
    /// ever see the transform's failure. The poem's chain waits for this
    /// one (it has fired already) and goes on with its outcome.
    pub fn try_to_cummingsify(&self) -> impl FnOnce(Vec<u8>) -> Deferred<String> + 'static {
        let (cummingsify, keep_the_original) = (self.cummingsify(), self.keep_the_original());
        self.route.step("try_to_cummingsify", move |poem: Vec<u8>| {
            succeed(poem)
                .add_callback(cummingsify)
                .add_errback(keep_the_original)
        })
    }
    // ANCHOR_END: try_to_cummingsify

    // ANCHOR: got_poem
    /// Keeps the poem (transformed, or the original), and prints it if
    /// asked to.
    pub fn got_poem(&self) -> impl FnOnce(String) + 'static {
        let (task, poems, print) = (self.task.clone(), Rc::clone(&self.poems), self.print);
        self.route.step("got_poem", move |poem: String| {
            if print {
                task.printer.out(poem.trim_end());
            }
            poems.borrow_mut()[task.number - 1] = Some(poem);
        })
    }

    /// Reports a failure that reached the end of the chain: a download
    /// that failed, in part 2's words; anything else as `Task N: failed: …`.
    pub fn poem_failed(&self) -> impl FnOnce(Failure) + 'static {
        let task = self.task.clone();
        self.route.step("poem_failed", move |failure: Failure| {
            let line = match failure.downcast_ref::<FetchError>() {
                Some(error) => report::failed(task.number, &task.address, error),
                None => lines::failed(task.number, failure.error()),
            };
            task.printer.err(&line);
        })
    }

    /// After either: one task fewer to wait for.
    pub fn poem_done(&self) -> impl FnOnce(Result<(), Failure>) + 'static {
        let countdown = self.countdown.clone();
        self.route.step("poem_done", move |_: Result<(), Failure>| {
            countdown.one_done()
        })
    }
    // ANCHOR_END: got_poem
}
