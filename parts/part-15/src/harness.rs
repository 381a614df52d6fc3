//! The harness: how one test is run.
//!
//! A synchronous test is a function that returns when it is done. An
//! asynchronous test cannot be: what it checks happens later, in callbacks
//! the reactor runs. So a test here *returns a deferred*, and the harness
//! runs a reactor until that deferred fires. The test passed if it fired
//! with a result, and failed if it fired with a failure (an `assert!` that
//! panics inside a callback becomes one, part 7's `Panicked`).
//!
//! Around that, the harness does what Twisted's trial does:
//!
//! - each test gets a fresh reactor, on a real clock or a virtual one
//!   ([`Fixture::VIRTUAL_TIME`]);
//! - a fixture's [`set_up`](Fixture::set_up) and
//!   [`tear_down`](Fixture::tear_down) may return deferreds too, and are
//!   waited for the same way;
//! - every wait has a time limit, so a deferred that never fires fails the
//!   test, naming it and the limit, instead of hanging the run;
//! - a failed callback the reactor reported, or a deferred's failure that
//!   nobody handled, fails the test: nothing goes wrong unseen;
//! - afterwards the reactor must be clean: a connection, a listening port
//!   or a timed call left behind fails the test, and is named
//!   ([`crate::dirty`]).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Clock, Reactor, VirtualClock};
use part_07::{Deferred, Failure, TimedOut, maybe_deferred, on_unhandled, succeed};

use crate::dirty;

/// How long a set-up, a test or a tear-down may take unless its fixture
/// (or the test itself, with [`Trial::set_timeout`]) says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: fixture
/// What a group of tests shares: what to build before each test and to
/// take down after it (trial's `TestCase` with its `setUp` and
/// `tearDown`). Both may return a deferred: a server that has to start
/// listening, a connection that has to close.
pub trait Fixture: Sized + 'static {
    /// Whether the tests run on a virtual clock, which only moves when a
    /// test advances it (or when the reactor has nothing else to do).
    const VIRTUAL_TIME: bool = false;
    /// How long each step may take.
    const TIMEOUT: Duration = DEFAULT_TIMEOUT;

    /// Builds the fixture before a test.
    fn set_up(t: &Trial) -> Deferred<Self>;

    /// Takes it down after the test, whether the test passed or not.
    fn tear_down(&self, t: &Trial) -> Deferred<()> {
        let _ = t;
        succeed(())
    }
}
// ANCHOR_END: fixture

/// No fixture, on a real clock.
impl Fixture for () {
    fn set_up(_t: &Trial) -> Deferred<()> {
        succeed(())
    }
}

/// No fixture, on a virtual clock.
pub struct VirtualTime;

impl Fixture for VirtualTime {
    const VIRTUAL_TIME: bool = true;

    fn set_up(_t: &Trial) -> Deferred<VirtualTime> {
        succeed(VirtualTime)
    }
}

/// A test's view of the harness: its name, its reactor, its clock.
pub struct Trial {
    name: &'static str,
    reactor: Reactor,
    clock: Option<VirtualClock>,
    timeout: Cell<Duration>,
}

impl Trial {
    /// The test's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The test's own reactor, fresh for each test.
    pub fn reactor(&self) -> &Reactor {
        &self.reactor
    }

    /// The time on the reactor's clock.
    pub fn now(&self) -> Duration {
        self.reactor.now()
    }

    /// Moves a virtual clock forward by `by`, running the timed calls that
    /// become due: a test waits for time to pass without sleeping. On a
    /// real clock this is a mistake in the test, and it panics.
    pub fn advance(&self, by: Duration) {
        assert!(
            self.clock.is_some(),
            "{}: advance needs a virtual clock (a fixture with VIRTUAL_TIME = true)",
            self.name
        );
        let _ = self.reactor.advance(by);
    }

    /// Changes how long this test may take (trial's `timeout` attribute
    /// on one test). Takes effect for the steps still to come.
    pub fn set_timeout(&self, limit: Duration) {
        self.timeout.set(limit);
    }
}

/// Where in a test's run a problem happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The fixture's set-up.
    SetUp,
    /// The test itself.
    Test,
    /// The fixture's tear-down.
    TearDown,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::SetUp => "set_up",
            Stage::Test => "the test",
            Stage::TearDown => "tear_down",
        })
    }
}

/// One thing that went wrong in a test's run.
#[derive(Debug)]
pub enum Problem {
    /// A step's deferred fired with a failure.
    Failed {
        /// Which step.
        stage: Stage,
        /// Its failure.
        failure: Failure,
    },
    /// A step's deferred did not fire in time.
    TimedOut {
        /// Which step.
        stage: Stage,
        /// The limit it had.
        limit: Duration,
    },
    /// The reactor's run ended before a step's deferred fired (someone
    /// stopped it), or the reactor could not be made or run.
    Reactor {
        /// Which step.
        stage: Stage,
        /// What happened.
        error: String,
    },
    /// A callback the reactor ran failed, or a deferred was dropped with
    /// a failure nobody handled.
    Logged(String),
    /// The test left things in the reactor: one line each.
    Dirty(Vec<String>),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Failed { stage, failure } => write!(f, "{stage} failed: {failure}"),
            Problem::TimedOut { stage, limit } => write!(
                f,
                "{stage} timed out: its deferred had not fired after {:.3}s",
                limit.as_secs_f64()
            ),
            Problem::Reactor { stage, error } => write!(f, "{stage}: {error}"),
            Problem::Logged(what) => write!(f, "an error was logged: {what}"),
            Problem::Dirty(left) => {
                write!(f, "the reactor was left dirty:")?;
                for thing in left {
                    write!(f, "\n    {thing}")?;
                }
                Ok(())
            }
        }
    }
}

/// Why a test failed: its name and everything that went wrong.
#[derive(Debug)]
pub struct TestFailure {
    /// The test.
    pub test: &'static str,
    /// What went wrong, in the order it happened.
    pub problems: Vec<Problem>,
}

impl fmt::Display for TestFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "test {} failed:", self.test)?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TestFailure {}

/// A test's run: how it went, and how much time its clock covered.
#[derive(Debug)]
pub struct Ran {
    /// The test.
    pub test: &'static str,
    /// `Ok` if it passed.
    pub result: Result<(), TestFailure>,
    /// The time on the test's clock when it was over (virtual time, for
    /// a virtual clock).
    pub clock: Duration,
}

/// Runs one test: `body` with a fresh reactor and a fixture of type `F`.
/// `Err` says what went wrong; this is what [`trial!`](crate::trial)
/// calls inside each `#[test]`.
pub fn run_test<F: Fixture, T: 'static>(
    name: &'static str,
    body: impl FnOnce(&Trial, &F) -> Deferred<T>,
) -> Result<(), TestFailure> {
    run::<F, T>(name, body).result
}

// ANCHOR: run
/// Runs one test, and says how it went.
pub fn run<F: Fixture, T: 'static>(
    name: &'static str,
    body: impl FnOnce(&Trial, &F) -> Deferred<T>,
) -> Ran {
    let trial = match Trial::new(name, F::VIRTUAL_TIME, F::TIMEOUT) {
        Ok(trial) => trial,
        Err(problem) => return Ran::failed(name, vec![problem], Duration::ZERO),
    };
    let logged = trial.watch_for_errors();
    let _unhandled = {
        let logged = Rc::clone(&logged);
        on_unhandled(move |failure| {
            logged.borrow_mut().push(format!("unhandled: {failure}"));
        })
    };
    let mut problems = Vec::new();
    match trial.wait(Stage::SetUp, F::set_up(&trial)) {
        Err(problem) => problems.push(problem),
        Ok(fixture) => {
            // A panic in the body itself (not in a callback) fails the
            // test the same way.
            let test = maybe_deferred(|| body(&trial, &fixture));
            problems.extend(trial.wait(Stage::Test, test).err());
            let down = fixture.tear_down(&trial);
            problems.extend(trial.wait(Stage::TearDown, down).err());
        }
    }
    let left = trial.clean_up();
    problems.extend(logged.take().into_iter().map(Problem::Logged));
    if !left.is_empty() {
        problems.push(Problem::Dirty(left));
    }
    Ran::failed(name, problems, trial.now())
}
// ANCHOR_END: run

impl Ran {
    fn failed(test: &'static str, problems: Vec<Problem>, clock: Duration) -> Ran {
        let result = if problems.is_empty() {
            Ok(())
        } else {
            Err(TestFailure { test, problems })
        };
        Ran {
            test,
            result,
            clock,
        }
    }
}

impl Trial {
    fn new(name: &'static str, virtual_time: bool, timeout: Duration) -> Result<Trial, Problem> {
        let clock = virtual_time.then(VirtualClock::new);
        let reactor_clock = match &clock {
            Some(clock) => Clock::Virtual(clock.clone()),
            None => Clock::real(),
        };
        let reactor =
            Reactor::with(BackendKind::Mio, reactor_clock).map_err(|error| Problem::Reactor {
                stage: Stage::SetUp,
                error: format!("cannot make a reactor: {error}"),
            })?;
        Ok(Trial {
            name,
            reactor,
            clock,
            timeout: Cell::new(timeout),
        })
    }

    /// Keeps what the reactor reports about failed callbacks, instead of
    /// printing it.
    fn watch_for_errors(&self) -> Rc<RefCell<Vec<String>>> {
        let logged: Rc<RefCell<Vec<String>>> = Rc::default();
        let keep = Rc::clone(&logged);
        self.reactor
            .on_failure(move |failed| keep.borrow_mut().push(failed.to_string()));
        logged
    }

    // ANCHOR: wait
    /// Runs the reactor until `d` fires, or until the time limit passes.
    fn wait<T: 'static>(&self, stage: Stage, d: Deferred<T>) -> Result<T, Problem> {
        let limit = self.timeout.get();
        let d = d.add_timeout(&self.reactor, limit);
        match self.reactor.run_until(d) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(failure)) if failure.downcast_ref() == Some(&TimedOut(limit)) => {
                Err(Problem::TimedOut { stage, limit })
            }
            Ok(Err(failure)) => Err(Problem::Failed { stage, failure }),
            Err(error) => Err(Problem::Reactor {
                stage,
                error: error.to_string(),
            }),
        }
    }
    // ANCHOR_END: wait

    /// Gives the reactor one more turn for calls that are due now (a
    /// connection closing "on the next turn"), then says what is left and
    /// clears it away.
    fn clean_up(&self) -> Vec<String> {
        let (turn, done) = part_07::deferred::<()>();
        self.reactor.call_later(Duration::ZERO, move || {
            let _ = done.callback(());
        });
        let _ = self.reactor.run_until(turn);
        let left = dirty::leftovers(&self.reactor);
        dirty::sweep(&self.reactor);
        left
    }
}

// ANCHOR: macro
/// Declares tests run by the harness, each a normal `#[test]`, so that
/// `cargo test` runs them and shows their failures.
///
/// ```
/// use part_07::Deferred;
/// use part_15::{PoetryServer, TEST_POEM, get_poetry, trial};
///
/// trial! {
///     /// The server hands out its poem.
///     fn client_gets_the_poem(t: &Trial, server: &PoetryServer) -> Deferred<()> {
///         get_poetry(t, server.addr()).add_callback(|poem: Vec<u8>| {
///             assert_eq!(poem, TEST_POEM);
///         })
///     }
/// }
/// # fn main() {}
/// ```
///
/// A test without a fixture takes only `t: &Trial`.
#[macro_export]
macro_rules! trial {
    () => {};
    (
        $(#[$meta:meta])*
        fn $name:ident($t:ident: &Trial) -> $ret:ty { $($body:tt)* }
        $($rest:tt)*
    ) => {
        $(#[$meta])*
        #[test]
        fn $name() {
            let body = |$t: &$crate::Trial, _: &()| -> $ret { $($body)* };
            $crate::harness::check($crate::run_test(stringify!($name), body));
        }
        $crate::trial!($($rest)*);
    };
    (
        $(#[$meta:meta])*
        fn $name:ident($t:ident: &Trial, $f:ident: &$fixture:ty) -> $ret:ty { $($body:tt)* }
        $($rest:tt)*
    ) => {
        $(#[$meta])*
        #[test]
        fn $name() {
            let body = |$t: &$crate::Trial, $f: &$fixture| -> $ret { $($body)* };
            $crate::harness::check($crate::run_test(stringify!($name), body));
        }
        $crate::trial!($($rest)*);
    };
}

/// Fails the `#[test]` that called it, with the harness's message, if
/// the test failed.
#[track_caller]
pub fn check(result: Result<(), TestFailure>) {
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
// ANCHOR_END: macro
