//! # Part 11 — Your poetry is served
//!
//! Until now every program of the workspace was a client, and the servers
//! were part 2's blocking `slowpoetry`. This part writes servers on our
//! reactor, and finds that almost everything they need is already there:
//!
//! - a **listening socket** is one more reader of part 3's reactor: it is
//!   readable when clients are waiting, and its `do_read` accepts them
//!   ([`listen_tcp`], [`ListeningPort`]);
//! - each accepted socket is an ordinary part-5 [`Connection`](part_05::Connection)
//!   with a [`Protocol`](part_05::Protocol) of its own, one per connection;
//! - the protocols come from a **server factory** ([`ServerFactory`]),
//!   shaped like part 5's client factory, which holds what the
//!   connections share.
//!
//! With those, [`fast`] is the series' `fastpoetry` (the whole poem at
//! once, then close), [`tokio_server`] the same server on tokio (an accept
//! loop and a task per connection), and [`slow`] the series' exercise: part
//! 2's slow server rewritten with timed calls instead of sleeps, so that it
//! serves every client at once. [`report`] is what they print,
//! [`limits`] raises the limit on open files, which is the limit on how
//! many clients a server can hold, and [`program`] is what the server
//! programs do around their lesson (start up, say where, run, exit).

pub mod fast;
pub mod limits;
pub mod listen;
pub mod program;
pub mod report;
pub mod slow;
pub mod tokio_server;

pub use fast::FastPoetryFactory;
pub use limits::{FileLimit, file_limit, raise_file_limit, set_file_limit};
pub use listen::{
    ACCEPT_PAUSE, ACCEPTS_PER_TURN, ListeningPort, ServerFactory, listen_on, listen_tcp,
};
pub use report::{Event, print_event};
pub use slow::{AsyncSlowServer, SlowPoetryFactory};
