//! The nested deferred on futures: a step that returns a future, and the
//! combined future waits for it.
//!
//! `TryFutureExt::and_then` takes a closure that returns a *future*, not a
//! value: when the first future succeeds, the closure is called and the
//! combined future goes on polling the future it returned, and finishes
//! with that one's result. That is exactly a callback returning a
//! deferred. In an `async fn` there is nothing to name at all: the inner
//! future is simply awaited in the middle of the function, and the
//! function (the outer "chain") is suspended until it is ready.
//!
//! Both functions below are client 6.0's shape, with the download and the
//! transform passed in as futures, so they run on any executor.

use std::future::Future;

use futures::{FutureExt, TryFutureExt};

// ANCHOR: and_then
/// Download, then transform, keeping the original if the transform fails:
/// with combinators. The closure given to `and_then` returns a future;
/// the result is the outer future's.
pub fn transformed_with_and_then<E, G, T>(
    download: impl Future<Output = Result<String, E>>,
    xform: impl FnOnce(String) -> T,
) -> impl Future<Output = Result<String, E>>
where
    T: Future<Output = Result<String, G>>,
{
    download.and_then(move |poem| {
        // Like a callback returning a deferred with its own errback.
        xform(poem.clone()).map(move |transformed| Ok(transformed.unwrap_or(poem)))
    })
}
// ANCHOR_END: and_then

// ANCHOR: await
/// The same, as an `async fn`: the inner future is awaited where it is.
pub async fn transformed_with_await<E, G, T>(
    download: impl Future<Output = Result<String, E>>,
    xform: impl FnOnce(String) -> T,
) -> Result<String, E>
where
    T: Future<Output = Result<String, G>>,
{
    let poem = download.await?;
    Ok(xform(poem.clone()).await.unwrap_or(poem))
}
// ANCHOR_END: await

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use futures::future::{self, ready};

    fn shout(poem: String) -> future::Ready<Result<String, ()>> {
        ready(Ok(poem.to_uppercase()))
    }

    fn refuse(_poem: String) -> future::Ready<Result<String, ()>> {
        ready(Err(()))
    }

    #[test]
    fn both_ways_transform_or_keep_the_original_or_pass_on_the_download_error() {
        let got = |ok: bool, fail_transform: bool, awaited: bool| {
            let download = ready(if ok {
                Ok("a poem".to_string())
            } else {
                Err("refused")
            });
            let xform = if fail_transform { refuse } else { shout };
            if awaited {
                block_on(transformed_with_await(download, xform))
            } else {
                block_on(transformed_with_and_then(download, xform))
            }
        };
        for awaited in [false, true] {
            assert_eq!(got(true, false, awaited), Ok("A POEM".to_string()));
            assert_eq!(got(true, true, awaited), Ok("a poem".to_string()));
            assert_eq!(got(false, false, awaited), Err("refused"));
        }
    }

    #[test]
    fn the_outer_future_waits_for_the_inner_one() {
        // An inner future that is not ready the first time it is polled.
        let (send, receive) = futures::channel::oneshot::channel::<String>();
        let xform = move |_poem: String| receive.map(|r| r.map_err(|_| ()));
        let mut outer = Box::pin(transformed_with_and_then(
            ready(Ok::<_, ()>("a poem".to_string())),
            xform,
        ));
        assert!(
            (&mut outer).now_or_never().is_none(),
            "waiting for the inner future"
        );
        send.send("A POEM".to_string()).unwrap();
        assert_eq!(block_on(outer), Ok("A POEM".to_string()));
    }
}
