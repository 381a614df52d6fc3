//! # Part 12 — A poetry transformation server
//!
//! A server that does something with what its clients send: each client
//! sends one request, a transform's name and a poem, framed as a
//! [`netstring`], and gets one netstring back with the poem transformed.
//!
//! - [`netstring`]: the framing, parsed incrementally from a byte stream
//!   by one parsing core, [`netstring::parse`];
//! - [`codec`]: the same core as a `tokio_util` codec;
//! - [`transform`]: what a request means, and the transforms on offer
//!   (`cummingsify`, deterministic here);
//! - [`server`]: the server on our reactor (part 5's protocols, part 11's
//!   `listen_tcp`), with what it does with clients that misbehave;
//! - [`tokio_server`]: the same server on tokio, with the codec;
//! - [`proxy`]: the client side, a [`TransformProxy`] whose `xform` returns
//!   a deferred;
//! - [`background`]: a server on a thread of its own, for demos and tests;
//! - [`client6`]: client 6.0's chain, download then transform, with the
//!   original poem as the fallback.

pub mod background;
pub mod cli;
pub mod client6;
pub mod codec;
pub mod netstring;
pub mod proxy;
pub mod server;
pub mod tokio_server;
pub mod transform;

pub use cli::TransformClientArgs;
pub use client6::get_transformed_poetry;
pub use codec::NetstringCodec;
pub use proxy::{ProxyError, TransformProxy};
pub use server::{Closed, Event, ServerOptions, TransformFactory, print_event, respond};
pub use transform::{Request, RequestError, TransformError, Transforms, cummingsify};
