//! The list observer's counterparts in the futures world.
//!
//! A [`FuturesUnordered`] *is* an observed list: a set of futures that
//! yields each output as it is ready, with futures pushed in at any time,
//! even while it is being drained. The four "when"s are then:
//!
//! | ours | futures |
//! |---|---|
//! | [`when_first_success`](crate::observer::when_first_success) | `select_ok` |
//! | [`when_first_error`](crate::observer::when_first_error) | `try_join_all` |
//! | [`when_all_settled`](crate::observer::when_all_settled) | `join_all` |
//! | [`when_n_of`](crate::observer::when_n_of) | [`first_n`]: `FuturesUnordered` and `take(n)` |
//!
//! One rule differs: once the answer is known, `try_join_all` and
//! [`first_n`] drop the futures that have not finished, which stops them,
//! and `select_ok` hands them back to its caller, who usually drops them;
//! our members run on and their outcomes end in the group. (`join_all`
//! has nothing left running when it answers.)

use std::future::Future;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

// ANCHOR: first_n
/// The first `n` outputs, with their futures' indices, in the order they
/// were ready. The futures not finished by then are dropped.
pub async fn first_n<F: Future>(n: usize, futures: Vec<F>) -> Vec<(usize, F::Output)> {
    let pending: FuturesUnordered<_> = futures
        .into_iter()
        .enumerate()
        .map(|(index, future)| async move { (index, future.await) })
        .collect();
    pending.take(n).collect().await
}
// ANCHOR_END: first_n
