//! A suite: several tests run one after the other, with a report in the
//! shape trial prints. `cargo test` is the runner for the workspace's own
//! tests; a suite is how the guided demo shows the harness at work.

use std::time::{Duration, Instant};

use part_07::Deferred;

use crate::harness::{Fixture, Ran, Trial, run};

type Test = Box<dyn FnOnce() -> Ran>;

/// Tests to run in order.
#[derive(Default)]
pub struct Suite {
    tests: Vec<Test>,
}

/// How a suite's run went.
#[derive(Debug)]
pub struct Summary {
    /// Each test's run, in order.
    pub ran: Vec<Ran>,
    /// The real time the whole run took.
    pub wall: Duration,
}

impl Summary {
    /// How many tests failed.
    pub fn failures(&self) -> usize {
        self.ran.iter().filter(|ran| ran.result.is_err()).count()
    }

    /// The time the tests' clocks covered, added up (virtual time, for
    /// the tests on a virtual clock).
    pub fn clock_time(&self) -> Duration {
        self.ran.iter().map(|ran| ran.clock).sum()
    }
}

impl Suite {
    /// An empty suite.
    pub fn new() -> Suite {
        Suite::default()
    }

    /// Adds a test of fixture `F`.
    pub fn add<F: Fixture, T: 'static>(
        &mut self,
        name: &'static str,
        body: impl FnOnce(&Trial, &F) -> Deferred<T> + 'static,
    ) -> &mut Suite {
        self.tests.push(Box::new(move || run::<F, T>(name, body)));
        self
    }

    /// Runs every test, printing a line for each through `print`, then
    /// every failure's message, then the totals.
    pub fn run(self, print: &mut dyn FnMut(&str)) -> Summary {
        let start = Instant::now();
        let mut ran = Vec::new();
        for test in self.tests {
            let one = test();
            let verdict = if one.result.is_ok() { "[OK]" } else { "[FAIL]" };
            print(&format!("  {} ... {verdict}", one.test));
            ran.push(one);
        }
        let summary = Summary {
            ran,
            wall: start.elapsed(),
        };
        for failure in summary
            .ran
            .iter()
            .filter_map(|ran| ran.result.as_ref().err())
        {
            print("");
            print(&format!("[FAIL] {failure}"));
        }
        print("");
        print(&format!(
            "Ran {} tests in {:.3}s of real time; their clocks covered {:.3}s",
            summary.ran.len(),
            summary.wall.as_secs_f64(),
            summary.clock_time().as_secs_f64()
        ));
        let (failed, passed) = (summary.failures(), summary.ran.len() - summary.failures());
        print(&match failed {
            0 => format!("PASSED (successes={passed})"),
            _ => format!("FAILED (failures={failed}, successes={passed})"),
        });
        summary
    }
}
