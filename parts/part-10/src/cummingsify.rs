//! `cummingsify`: the transform of client 5.0, which does not always work.
//!
//! e. e. cummings wrote his poems in lower case, so to cummingsify a poem is
//! to lowercase it. Our cummingsify is unreliable on purpose, so that the
//! chain of callbacks has failures to deal with. It reads the poem as
//! UTF-8 text, then throws a three-sided die:
//!
//! | the die says | odds | what `cummingsify` returns |
//! |---|---|---|
//! | [`Fate::Lowercase`] | 1 in 3 | `Ok(poem)`, lowercased |
//! | [`Fate::Gibberish`] | 1 in 3 | `Err(`[`GibberishError`]`)`: the poem came out as nonsense |
//! | [`Fate::Bug`] | 1 in 3 | `Err(`[`CummingsifyBug`]`)`: our own mistake, the `ValueError` of the series |
//!
//! The die is a [`Dice`]: a small generator with a seed, written here
//! rather than taken from a crate so that a seed means the same fates in
//! every version of the workspace. The clients give each task its own
//! dice, forked from one seeded [`Dice`] in task order ([`task_dice`]), so
//! the fate of task 3's poem depends on the seed and on the number 3, not
//! on which poem happened to arrive first. [`fates`] predicts them.
//!
//! ```
//! use part_10::{Fate, cummingsify, fates, task_dice};
//!
//! let seed = 7;
//! let predicted = fates(seed, 1)[0];
//! let mut dice = task_dice(seed, 1).remove(0);
//! let outcome = cummingsify(b"Tyger Tyger", &mut dice);
//! match predicted {
//!     Fate::Lowercase => assert_eq!(outcome.unwrap(), b"tyger tyger"),
//!     Fate::Gibberish | Fate::Bug => assert!(outcome.is_err()),
//! }
//! ```

use std::hash::{BuildHasher, RandomState};
use std::str::Utf8Error;

use part_07::Failure;

// ANCHOR: errors
/// The poem came out as nonsense: the series' `GibberishError`. Nothing
/// of the poem survives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the poem came out as gibberish")]
pub struct GibberishError;

/// A bug in cummingsify: the series' `ValueError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cummingsify has a bug: it lost its place in the poem")]
pub struct CummingsifyBug;

/// Why cummingsify returned no poem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CummingsifyError {
    /// The poem is not UTF-8 text (the series' decoding error).
    #[error(transparent)]
    NotText(#[from] Utf8Error),
    /// The poem came out as nonsense.
    #[error(transparent)]
    Gibberish(#[from] GibberishError),
    /// cummingsify has a bug.
    #[error(transparent)]
    Bug(#[from] CummingsifyBug),
}
// ANCHOR_END: errors

impl CummingsifyError {
    /// A [`Failure`] of the error *inside*, so that an errback can `trap`
    /// a [`GibberishError`] (a failure of the enum would trap as neither).
    #[track_caller]
    pub fn into_failure(self) -> Failure {
        match self {
            CummingsifyError::NotText(error) => Failure::new(error),
            CummingsifyError::Gibberish(error) => Failure::new(error),
            CummingsifyError::Bug(error) => Failure::new(error),
        }
    }
}

/// What the die decided cummingsify does to a poem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fate {
    /// It works: the poem comes back in lower case.
    Lowercase,
    /// The poem comes out as gibberish ([`GibberishError`]).
    Gibberish,
    /// cummingsify has a bug ([`CummingsifyBug`]).
    Bug,
}

impl Fate {
    /// Every fate, in the order of the die's faces.
    pub const ALL: [Fate; 3] = [Fate::Lowercase, Fate::Gibberish, Fate::Bug];

    /// Throws the die: each fate with odds of 1 in 3.
    pub fn roll(dice: &mut Dice) -> Fate {
        Fate::ALL[dice.below(3) as usize]
    }

    /// Does to `poem` what this fate says.
    pub fn apply(self, poem: &str) -> Result<Vec<u8>, CummingsifyError> {
        match self {
            Fate::Lowercase => Ok(poem.to_lowercase().into_bytes()),
            Fate::Gibberish => Err(GibberishError.into()),
            Fate::Bug => Err(CummingsifyBug.into()),
        }
    }
}

// ANCHOR: cummingsify
/// Lowercases `poem`, as e. e. cummings might, or fails: the poem must be
/// UTF-8, and then one throw of `dice` decides, with odds of 1 in 3 each
/// for success, [`GibberishError`] and [`CummingsifyBug`].
pub fn cummingsify(poem: &[u8], dice: &mut Dice) -> Result<Vec<u8>, CummingsifyError> {
    let poem = std::str::from_utf8(poem)?;
    Fate::roll(dice).apply(poem)
}
// ANCHOR_END: cummingsify

/// A small seeded random number generator (SplitMix64): the same seed
/// gives the same numbers, on every machine and in every version of the
/// workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dice {
    state: u64,
}

impl Dice {
    /// Dice that throw the numbers `seed` decides.
    pub fn new(seed: u64) -> Dice {
        Dice { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number from 0 to `n - 1`, each as likely as the others (`n` must
    /// be more than 0).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Dice::below(0) has no numbers to choose from");
        // Reject the top few values that would make the low numbers likelier.
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// New dice, seeded from these: a stream of their own, which does not
    /// change how these throw afterwards except by the one number taken.
    pub fn fork(&mut self) -> Dice {
        Dice::new(self.next_u64())
    }
}

// ANCHOR: task_dice
/// One pair of dice for each of `tasks` tasks, forked in task order from
/// dice seeded with `seed`: task N's dice depend only on the seed and on N.
pub fn task_dice(seed: u64, tasks: usize) -> Vec<Dice> {
    let mut dice = Dice::new(seed);
    (0..tasks).map(|_| dice.fork()).collect()
}

/// What cummingsify will do to each task's poem, the first time it is
/// called with that task's dice from [`task_dice`].
pub fn fates(seed: u64, tasks: usize) -> Vec<Fate> {
    task_dice(seed, tasks).iter_mut().map(Fate::roll).collect()
}
// ANCHOR_END: task_dice

/// A seed that differs from run to run (from the standard library's
/// randomly keyed hasher), for a program given no `--seed`.
pub fn random_seed() -> u64 {
    RandomState::new().hash_one(0x5eed_u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_odds_are_one_in_three_each() {
        let mut dice = Dice::new(2024);
        let throws = 30_000;
        let mut counts = [0usize; 3];
        for _ in 0..throws {
            counts[Fate::roll(&mut dice) as usize] += 1;
        }
        for (fate, count) in Fate::ALL.iter().zip(counts) {
            let share = count as f64 / throws as f64;
            assert!((share - 1.0 / 3.0).abs() < 0.02, "{fate:?}: {share}");
        }
    }

    #[test]
    fn a_seed_decides_every_throw() {
        let throws = |seed| {
            let mut dice = Dice::new(seed);
            (0..50).map(|_| dice.below(6)).collect::<Vec<_>>()
        };
        assert_eq!(throws(1), throws(1));
        assert_ne!(throws(1), throws(2));
        assert_eq!(fates(99, 8), fates(99, 8));
        // More tasks do not change the fates of the first ones.
        assert_eq!(fates(99, 8)[..5], fates(99, 5)[..]);
    }

    #[test]
    fn the_known_first_numbers_of_splitmix64() {
        // The published test values of SplitMix64 with seed 0: if these
        // change, every seed in the book means something else.
        let mut dice = Dice::new(0);
        assert_eq!(dice.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(dice.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn below_stays_below() {
        let mut dice = Dice::new(5);
        for n in [1, 2, 3, 7, 1 << 40] {
            for _ in 0..200 {
                assert!(dice.below(n) < n);
            }
        }
    }

    #[test]
    fn each_fate_does_what_it_says() {
        let poem = "Der Panther\nIm Jardin des Plantes";
        assert_eq!(
            Fate::Lowercase.apply(poem).unwrap(),
            b"der panther\nim jardin des plantes"
        );
        assert_eq!(
            Fate::Gibberish.apply(poem),
            Err(CummingsifyError::Gibberish(GibberishError))
        );
        assert_eq!(
            Fate::Bug.apply(poem),
            Err(CummingsifyError::Bug(CummingsifyBug))
        );
    }

    #[test]
    fn cummingsify_does_what_the_prediction_says() {
        for seed in 0..30 {
            let predicted = fates(seed, 4);
            for (dice, fate) in task_dice(seed, 4).iter_mut().zip(predicted) {
                let outcome = cummingsify(b"ABC", dice);
                assert_eq!(outcome, fate.apply("ABC"), "seed {seed}");
            }
        }
    }

    #[test]
    fn a_poem_that_is_not_text_fails_before_the_die_is_thrown() {
        let mut dice = Dice::new(3);
        let outcome = cummingsify(b"Tyger \xff Tyger", &mut dice);
        assert!(matches!(outcome, Err(CummingsifyError::NotText(_))));
        assert_eq!(dice, Dice::new(3), "no throw");
    }

    #[test]
    fn into_failure_keeps_the_inner_type() {
        let failure = Fate::Gibberish.apply("Poem").unwrap_err().into_failure();
        assert_eq!(failure.short_type_name(), "GibberishError");
        assert_eq!(failure.location().file(), file!());
        assert!(failure.check::<GibberishError>());
        let bug = Fate::Bug.apply("Poem").unwrap_err().into_failure();
        assert!(bug.check::<CummingsifyBug>());
        assert!(!bug.check::<GibberishError>());
    }

    #[test]
    fn random_seeds_differ() {
        let seeds: std::collections::HashSet<u64> = (0..8).map(|_| random_seed()).collect();
        assert!(seeds.len() > 1, "{seeds:?}");
    }
}
