//! # Part 14 — When a deferred isn't
//!
//! A deferred does not have to wait for anything. It can be fired before
//! the function that made it returns, and a callback added to a deferred
//! that has already fired runs at once, inside `add_callback`, with the
//! result the chain has reached. Part 7's deferred has had the tools for
//! this all along: [`succeed`](part_07::succeed) and
//! [`fail`](part_07::fail) make deferreds that are fired already,
//! [`maybe_deferred`](part_07::maybe_deferred) turns "a value, a failure
//! or a deferred" into a deferred, and [`pause`](part_07::Deferred::pause)
//! holds callbacks back until [`unpause`](part_07::Deferred::unpause).
//!
//! The program that needs them is a caching proxy: a poetry server whose
//! poem comes from another poetry server (the *upstream*), fetched once
//! and then served from memory. Getting the poem is sometimes
//! asynchronous (a download) and sometimes not (the cache):
//!
//! - [`proxy1`]: the series' first proxy. `get_poem` returns either the
//!   cached poem or a deferred ([`MaybePoem`]), and the protocol calls it
//!   through `maybe_deferred`. It has the series' flaw: clients that ask
//!   at the same time before anything is cached each cause a download.
//! - [`proxy2`]: `get_poem` always returns a deferred, pre-fired with
//!   `succeed` when the poem is cached, and solves the series' exercises:
//!   a maximum age for the cached poem, and a third state, *fetching*, in
//!   which later clients wait on the download already under way
//!   (single-flight).
//! - [`tokio_proxy`]: the second proxy on tokio, with a `tokio::sync::watch`
//!   channel as the download every waiting client shares.
//!
//! [`server`] is the listening side both reactor proxies share (part 11's
//! [`listen_tcp`](part_11::listen_tcp) with a factory whose protocol asks
//! for a deferred poem), [`upstream`] the downloading side (client 4.0's
//! `get_poetry`), and [`counting`] a poetry server that counts its
//! connections, so that demos and tests can see how often the proxy went
//! upstream.
//!
//! Beyond the series, [`structures`] builds a queue and a map whose `get`
//! returns a deferred ([`structures::DeferredQueue`],
//! [`structures::DeferredDict`]), and [`tokio_structures`] the map on tokio;
//! [`memo`] caches a function's deferred answers by key ([`Memo`]), and
//! [`tokio_memo`] does the same with shared futures.

pub mod args;
pub mod counting;
pub mod memo;
pub mod proxy1;
pub mod proxy2;
pub mod server;
pub mod structures;
pub mod tokio_memo;
pub mod tokio_proxy;
pub mod tokio_structures;
pub mod upstream;

pub use args::{CacheArgs, ProxyArgs, run_proxy};
pub use counting::CountingServer;
pub use memo::Memo;
pub use proxy1::{MaybePoem, ProxyService1};
pub use proxy2::{ProxyService2, State};
pub use server::{PoemSource, ProxyFactory, proxying};
pub use tokio_proxy::TokioProxy;
pub use upstream::{Poem, Upstream, UpstreamError, whole_poem};
