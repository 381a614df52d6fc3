//! # Part 21 — Lazy is as lazy doesn't
//!
//! The series ends its tour of other languages with Haskell, where every
//! value is computed only when something needs it, and where reading a
//! socket "all at once" quietly turns into reading it line by line as the
//! program consumes the lines. Rust has laziness too, but it is never
//! quiet about it:
//!
//! - [`lazy`]: iterators. `(2..).step_by(2)` is an infinite sequence that
//!   costs nothing until `next` is called; `take` and `zip` consume only
//!   what they need. The values are computed by the caller's `next`,
//!   not by a runtime that forces thunks.
//! - [`lines`](mod@lines): a [`Stream`](futures::Stream) of lines over any
//!   `AsyncRead`: lazy I/O made explicit. A stream does nothing until it
//!   is polled; each poll reads only as much as the next line needs.
//!   Written twice: with `async-stream`'s `try_stream!`, and with
//!   `futures::stream::try_unfold`.
//! - [`haskell`]: the two Haskell clients' pieces on part 17's runtime:
//!   a poem as a stream of lines from a socket (with the workspace's
//!   timeouts), and [`read_ahead`], which starts a
//!   stream in a task of its own so that it downloads while nobody is
//!   looking, as GHC's runtime does.
//! - [`tokio_side`]: the same on tokio, for the clients' tokio twins.
//!
//! The lesson of the chapter: a Haskell list is pulled by whoever needs
//! it, and so is a Rust iterator or stream; but where Haskell's runtime
//! evaluates, reads and schedules behind your back, Rust evaluates only
//! inside a `next` or a `poll_next` someone calls, and reads ahead only
//! in a task someone spawned.

pub mod haskell;
pub mod lazy;
pub mod lines;
pub mod tokio_side;

pub use haskell::{Patient, poem_lines, read_ahead};
pub use lines::{LineSplitter, LineTooLong, lines, lines_unfold};
