//! # Part 16 — Daemonologie
//!
//! Our servers so far ran in a terminal and printed to it. A server that
//! runs for months needs more: it must outlive the terminal it was started
//! from, write its lines to a log that does not fill the disk, leave a
//! note of its process id for whoever wants to stop it, drop privileges it
//! does not need, and stop cleanly, finishing what it started. This part
//! builds that, as Twisted's `twistd` does, on our reactor:
//!
//! - [`service`]: a [`Service`] starts and stops (stopping may take time,
//!   so it returns a deferred); a [`MultiService`] starts its children in
//!   order and stops them in reverse, one after another; an
//!   [`Application`] is the root of the tree;
//! - [`pool`]: a [`DeferredPool`] counts the work in flight and fires a
//!   deferred when none is left: what a graceful stop waits for;
//! - [`poetry`]: part 11's servers as services, logging with `tracing`;
//! - [`plugin`]: services known by name, with options of their own;
//! - [`runner`]: `twistd`, which runs a plugin in the foreground or as a
//!   daemon, with a [`pidfile`] and a rotating log ([`logging`]);
//! - [`tokio_service`]: the same service on tokio, stopping gracefully the
//!   way tokio programs do.

pub mod logging;
pub mod pidfile;
pub mod plugin;
pub mod poetry;
pub mod pool;
pub mod runner;
pub mod service;
pub mod tokio_service;

pub use plugin::{PluginContext, ServiceMaker, plugins};
pub use pool::DeferredPool;
pub use service::{Application, MultiService, Service, StartError};
