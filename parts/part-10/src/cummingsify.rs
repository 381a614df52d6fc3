//! `cummingsify`: the transform of client 5.0, which does not always work.
//!
//! e. e. cummings wrote his poems in lower case, so to cummingsify a poem is
//! to lowercase it. Our cummingsify is unreliable on purpose, so that the
//! chain of callbacks has failures to deal with. Each time it is called it
//! throws a three-sided die:
//!
//! | the die says | odds | what `cummingsify` returns |
//! |---|---|---|
//! | [`Fate::Lowercase`] | 1 in 3 | `Ok(poem)`, lowercased |
//! | [`Fate::Gibberish`] | 1 in 3 | `Err(`[`GibberishError`]`)`: the poem came out as nonsense; the error hands back the original |
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
//! use part_10::{Dice, Fate, cummingsify, fates};
//!
//! let seed = 7;
//! let predicted = fates(seed, 1)[0];
//! let mut dice = part_10::task_dice(seed, 1).remove(0);
//! let outcome = cummingsify("Tyger Tyger".to_string(), &mut dice);
//! match predicted {
//!     Fate::Lowercase => assert_eq!(outcome.unwrap(), "tyger tyger"),
//!     Fate::Gibberish | Fate::Bug => assert!(outcome.is_err()),
//! }
//! ```

use std::hash::{BuildHasher, RandomState};

use part_07::Failure;

// ANCHOR: errors
/// The poem came out as nonsense. Not our fault, and not fatal: the error
/// hands back the poem it was given, so the caller can fall back on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the poem came out as gibberish")]
pub struct GibberishError {
    original: String,
}

impl GibberishError {
    /// The poem as it was before cummingsify garbled it.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Takes the original poem back.
    pub fn into_original(self) -> String {
        self.original
    }
}

/// A bug in cummingsify: the `ValueError` of the series. The poem is lost
/// with it, and the program should say so rather than carry on quietly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cummingsify has a bug: it lost its place in the poem")]
pub struct CummingsifyBug;

/// Why cummingsify returned no poem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CummingsifyError {
    /// The poem came out as nonsense (the original is inside).
    #[error(transparent)]
    Gibberish(#[from] GibberishError),
    /// cummingsify has a bug.
    #[error(transparent)]
    Bug(#[from] CummingsifyBug),
}
// ANCHOR_END: errors

// ANCHOR: into_failure
impl CummingsifyError {
    /// A [`Failure`] of the error *inside*: of type [`GibberishError`] or
    /// [`CummingsifyBug`], so that an errback can `trap` one and not the
    /// other. (`?` would make a failure of type `CummingsifyError`, which
    /// traps as neither.) The failure notes the caller's line.
    #[track_caller]
    pub fn into_failure(self) -> Failure {
        match self {
            CummingsifyError::Gibberish(error) => Failure::new(error),
            CummingsifyError::Bug(error) => Failure::new(error),
        }
    }
}
// ANCHOR_END: into_failure

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
    pub fn apply(self, poem: String) -> Result<String, CummingsifyError> {
        match self {
            Fate::Lowercase => Ok(poem.to_lowercase()),
            Fate::Gibberish => Err(GibberishError { original: poem }.into()),
            Fate::Bug => Err(CummingsifyBug.into()),
        }
    }
}

// ANCHOR: cummingsify
/// Lowercases `poem`, as e. e. cummings might have, or fails: one throw of
/// `dice` decides, with odds of 1 in 3 each for success,
/// [`GibberishError`] and [`CummingsifyBug`].
pub fn cummingsify(poem: String, dice: &mut Dice) -> Result<String, CummingsifyError> {
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
        let poem = || "Der Panther\nIm Jardin des Plantes".to_string();
        assert_eq!(
            Fate::Lowercase.apply(poem()).unwrap(),
            "der panther\nim jardin des plantes"
        );
        let Err(CummingsifyError::Gibberish(gibberish)) = Fate::Gibberish.apply(poem()) else {
            panic!("gibberish expected")
        };
        assert_eq!(gibberish.original(), poem());
        assert_eq!(gibberish.into_original(), poem());
        assert_eq!(
            Fate::Bug.apply(poem()),
            Err(CummingsifyError::Bug(CummingsifyBug))
        );
    }

    #[test]
    fn cummingsify_does_what_the_prediction_says() {
        for seed in 0..30 {
            let predicted = fates(seed, 4);
            for (dice, fate) in task_dice(seed, 4).iter_mut().zip(predicted) {
                let outcome = cummingsify("ABC".to_string(), dice);
                assert_eq!(outcome, fate.apply("ABC".to_string()), "seed {seed}");
            }
        }
    }

    #[test]
    fn into_failure_keeps_the_inner_type() {
        let gibberish = Fate::Gibberish.apply("Poem".into()).unwrap_err();
        let failure = gibberish.into_failure();
        assert_eq!(failure.short_type_name(), "GibberishError");
        assert_eq!(failure.location().file(), file!());
        assert_eq!(failure.trap::<GibberishError>().unwrap().original(), "Poem");
        let bug = Fate::Bug.apply("Poem".into()).unwrap_err().into_failure();
        assert!(bug.check::<CummingsifyBug>());
        assert!(!bug.check::<GibberishError>());
    }

    #[test]
    fn random_seeds_differ() {
        let seeds: std::collections::HashSet<u64> = (0..8).map(|_| random_seed()).collect();
        assert!(seeds.len() > 1, "{seeds:?}");
    }
}
