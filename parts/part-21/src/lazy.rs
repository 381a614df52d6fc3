//! Laziness in plain Rust: iterators.
//!
//! An iterator is a value that knows how to make the next item, and makes
//! it only when `next` is called. So an iterator may be endless, like
//! Haskell's `[2,4 ..]`, and still cost nothing to create: the adapters
//! `step_by`, `map`, `zip` and `take` only wrap one iterator in another.
//! The work happens when a consumer (`for`, `collect`, `nth`, `sum`…)
//! calls `next`, and it stops when the consumer stops asking.
//!
//! What Rust does not have is Haskell's *thunk*: a value that is not
//! computed yet but looks like any other value, and gets computed by the
//! runtime the first time something looks at it (and then remembered).
//! In Rust the type says it: an `Iterator<Item = u64>` is not a list of
//! numbers, it is a machine for making them, and every number it makes
//! is made again if you make a fresh iterator.

// ANCHOR: evens
/// The even numbers from 2 on, for ever: Haskell's `[2,4 ..]`. Nothing is
/// computed here; each `next` computes one more.
pub fn evens() -> impl Iterator<Item = u64> + Clone {
    (2..).step_by(2)
}

/// Every multiple of `n` from `n` on, for ever (Haskell's `[n,2*n ..]`).
pub fn multiples_of(n: u64) -> impl Iterator<Item = u64> + Clone {
    (n..).step_by(n as usize)
}
// ANCHOR_END: evens

// ANCHOR: zip3
/// Haskell's `head (tail (tail (zip3 [1..] [2,4 ..] [3,6 ..])))`: the
/// third triple of three endless sequences zipped together. Only three
/// items of each sequence are ever made.
pub fn third_triple() -> Option<(u64, u64, u64)> {
    let triples = (1..).zip(evens()).zip(multiples_of(3));
    triples.map(|((x, y), z)| (x, y, z)).nth(2)
}
// ANCHOR_END: zip3

// ANCHOR: noisy
/// `evens()`, saying out loud (through `say`) each number it makes, so
/// that a reader can see when the work happens.
pub fn noisy_evens(mut say: impl FnMut(u64)) -> impl Iterator<Item = u64> {
    evens().inspect(move |&n| say(n))
}
// ANCHOR_END: noisy

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_sequences_give_what_is_asked() {
        assert_eq!(evens().take(4).collect::<Vec<_>>(), [2, 4, 6, 8]);
        assert_eq!(multiples_of(3).take(3).collect::<Vec<_>>(), [3, 6, 9]);
        assert_eq!(third_triple(), Some((3, 6, 9)));
    }

    #[test]
    fn only_what_is_consumed_is_made() {
        let mut made = Vec::new();
        let firsts: Vec<u64> = noisy_evens(|n| made.push(n)).take(3).collect();
        assert_eq!(firsts, [2, 4, 6]);
        assert_eq!(made, [2, 4, 6]);
    }

    #[test]
    fn creating_an_iterator_makes_nothing() {
        let mut made = 0;
        let iterator = noisy_evens(|_| made += 1);
        drop(iterator);
        assert_eq!(made, 0);
    }
}
