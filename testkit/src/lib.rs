//! # The workspace's test kit
//!
//! What the parts' tests share, so that each helper is written once: slow
//! servers on free ports, a port where nothing listens, running a program
//! under a time limit, reading the lines every poetry client prints, the
//! checks every poetry client and server program must pass, and a reactor
//! run that fails the test instead of hanging.
//!
//! It is not a lesson. The parts teach; this crate only checks them, and
//! it is only ever a dev-dependency: no part's library or program depends
//! on it. (Part 15 teaches testing on its own terms.) It may depend on the
//! lesson crates whose types its helpers take; a part's tests can still
//! use it, since cargo allows a dev-dependency that depends on the part.
//!
//! Every helper panics on anything unexpected: in a test, a panic is a
//! failed test with a message.
//!
//! - [`programs`]: poems, slow servers, programs and their output, and the
//!   checks every client and server program must pass (from part 2 on).
//! - [`fast_servers`]: the checks every fast poetry server passes (from
//!   part 11 on).
//! - [`transform_clients`]: the checks every client of a transformation
//!   server passes (from part 12 on).
//! - [`hostile`]: servers whose output nobody reads, and the check that
//!   they serve all the same.
//! - [`reactor`]: helpers for clients built on the reactor and part 6's
//!   tasks (from part 6 on).
//!
//! Both are re-exported at the top, so a test writes `testkit::closed_port()`.

pub mod fast_servers;
pub mod hostile;
pub mod programs;
pub mod reactor;
pub mod transform_clients;

pub use hostile::*;
pub use programs::*;
pub use reactor::*;
