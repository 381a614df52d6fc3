//! # Part 22: the end
//!
//! The series built one poetry client after another, each a step up from
//! the last: a blocking loop, a readiness loop written by hand, a reactor
//! calling us back, protocols, callbacks, deferreds, `async`/`await` on our
//! own runtime, and, beside most of them, a twin on tokio. This part puts
//! them all in one room. The tour starts three slow poetry servers and a
//! transformation server, runs every client against them in turn, exactly
//! as a reader would from the shell, checks from what each printed that it
//! got every poem, and prints a table: what each ran on, which ideas it is
//! made of, how many lines it took, and how long it waited.
//!
//! - [`clients`]: the list of clients, [`CLIENTS`], the one place that
//!   knows them; a new client is one [`client!`] entry.
//! - [`lines`]: how a program's lines of code are counted.
//! - [`programs`]: having cargo build the clients and say where they are.
//! - [`tour`]: the servers, running a client, and checking its poems.
//! - [`table`]: the table, as text.

pub mod clients;
pub mod lines;
pub mod programs;
pub mod table;
pub mod tour;

pub use clients::{CLIENTS, Client, Concept, Proof, RunsOn, Setup, packages};
pub use programs::Programs;
pub use tour::{Row, Servers, check, run_all, run_client};
