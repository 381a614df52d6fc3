//! A supervisor's rule: restart a worker that failed, a few times, then
//! give up.
//!
//! In Erlang a worker does not defend itself against everything that can
//! go wrong: it crashes, and the process above it, its *supervisor*,
//! decides what to do. The decision needs nothing but the [`Down`]
//! message and a count of restarts so far, so it is written here as a
//! plain value with one method, [`Supervisor::on_down`], which says what
//! to do; the program does it (spawns the worker again after the delay,
//! or reports that it gave up). The same rule serves the client on our
//! runtime and the one on tokio.
//!
//! Our workers are *transient*, in Erlang's words: a worker that ended
//! normally, or was killed on purpose, is not restarted; one that returned
//! an error or panicked is.

use std::collections::HashMap;
use std::time::Duration;

use crate::monitor::{Down, Reason};

/// How many times a failed worker is restarted, and after how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restarts {
    /// Restarts allowed per worker (0: none, the worker's first failure
    /// is final).
    pub max: u32,
    /// How long to wait before each restart.
    pub delay: Duration,
}

impl Restarts {
    /// No restarts at all: every failure is final.
    pub const NONE: Restarts = Restarts {
        max: 0,
        delay: Duration::ZERO,
    };
}

// ANCHOR: verdict
/// What to do about a worker that went down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing: it ended normally, or was killed on purpose.
    Ended,
    /// Start it again after `after`; this is restart number `restart`
    /// (from 1) of at most `of`.
    Restart {
        /// Which restart this is, from 1.
        restart: u32,
        /// The most restarts allowed.
        of: u32,
        /// How long to wait first.
        after: Duration,
    },
    /// It failed again with no restart left: give up on it, after
    /// `restarts` restarts.
    GiveUp {
        /// How many times it was restarted.
        restarts: u32,
    },
}

/// Counts each worker's restarts and decides, for each down message,
/// what to do.
#[derive(Debug)]
pub struct Supervisor {
    policy: Restarts,
    restarts: HashMap<usize, u32>,
}

impl Supervisor {
    /// A supervisor with this policy and no restarts yet.
    pub fn new(policy: Restarts) -> Supervisor {
        Supervisor {
            policy,
            restarts: HashMap::new(),
        }
    }

    /// The verdict on `down`, counting the restart it may grant.
    pub fn on_down<E>(&mut self, down: &Down<E>) -> Verdict {
        if matches!(down.reason, Reason::Normal | Reason::Killed) {
            return Verdict::Ended;
        }
        let used = self.restarts.entry(down.who).or_insert(0);
        if *used >= self.policy.max {
            return Verdict::GiveUp { restarts: *used };
        }
        *used += 1;
        Verdict::Restart {
            restart: *used,
            of: self.policy.max,
            after: self.policy.delay,
        }
    }
}
// ANCHOR_END: verdict

#[cfg(test)]
mod tests {
    use super::*;

    fn down(who: usize, reason: Reason<&'static str>) -> Down<&'static str> {
        Down { who, reason }
    }

    const TWO: Restarts = Restarts {
        max: 2,
        delay: Duration::from_millis(300),
    };

    #[test]
    fn a_failed_worker_is_restarted_up_to_the_limit_then_given_up() {
        let mut supervisor = Supervisor::new(TWO);
        let failed = down(1, Reason::Error("refused"));
        let restart = |restart| Verdict::Restart {
            restart,
            of: 2,
            after: Duration::from_millis(300),
        };
        assert_eq!(supervisor.on_down(&failed), restart(1));
        assert_eq!(supervisor.on_down(&failed), restart(2));
        assert_eq!(supervisor.on_down(&failed), Verdict::GiveUp { restarts: 2 });
        assert_eq!(supervisor.on_down(&failed), Verdict::GiveUp { restarts: 2 });
    }

    #[test]
    fn a_panic_counts_as_a_failure_and_each_worker_has_its_own_count() {
        let mut supervisor = Supervisor::new(TWO);
        let panicked = Reason::Panicked(part_17::TaskPanicked {
            message: "boom".into(),
            place: None,
        });
        assert!(matches!(
            supervisor.on_down(&down(1, panicked.clone())),
            Verdict::Restart { restart: 1, .. }
        ));
        assert!(matches!(
            supervisor.on_down(&down(2, Reason::Error("refused"))),
            Verdict::Restart { restart: 1, .. }
        ));
        assert!(matches!(
            supervisor.on_down(&down(1, panicked)),
            Verdict::Restart { restart: 2, .. }
        ));
    }

    #[test]
    fn a_normal_end_or_a_kill_is_not_restarted() {
        let mut supervisor = Supervisor::new(TWO);
        assert_eq!(supervisor.on_down(&down(1, Reason::Normal)), Verdict::Ended);
        assert_eq!(supervisor.on_down(&down(1, Reason::Killed)), Verdict::Ended);
    }

    #[test]
    fn without_restarts_the_first_failure_is_final() {
        let mut supervisor = Supervisor::new(Restarts::NONE);
        let failed = down(3, Reason::Error("refused"));
        assert_eq!(supervisor.on_down(&failed), Verdict::GiveUp { restarts: 0 });
    }
}
