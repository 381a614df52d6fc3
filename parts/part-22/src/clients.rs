//! Every poetry client of the series, in one list: what each is called,
//! which part built it, what it runs on, which ideas it uses, how the tour
//! starts it and how the tour knows it got the poems.
//!
//! The list is the one place that knows the clients. The tour, its table
//! and its test all walk [`CLIENTS`], so a new client joins them with one
//! [`client!`](crate::client) entry: its program name, its package, what
//! it runs on, its ideas, its setup, its proof, and the source files that
//! are the program (counted by [`crate::lines`] when the tour is built).

/// What a client runs on: who waits for the network on its behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunsOn {
    /// Nobody: each read blocks the one thread until data comes.
    Blocking,
    /// Its own readiness loop, written into the program (part 2).
    OwnLoop,
    /// Our reactor from part 3, calling the program back.
    OurReactor,
    /// Our reactor turned runtime in part 17, polling futures.
    OurRuntime,
    /// tokio's runtime.
    Tokio,
}

impl RunsOn {
    /// The words the table uses.
    pub fn label(self) -> &'static str {
        match self {
            RunsOn::Blocking => "blocking calls",
            RunsOn::OwnLoop => "its own loop",
            RunsOn::OurReactor => "our reactor",
            RunsOn::OurRuntime => "our runtime",
            RunsOn::Tokio => "tokio",
        }
    }
}

/// The ideas of the series a client's code is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concept {
    /// Ask the OS which sockets are ready, then do only what will not block.
    ReadinessLoop,
    /// A loop that waits for events and calls the program back.
    Reactor,
    /// Code that says what to do when something happens, handed over early.
    Callbacks,
    /// A placeholder for a result, with a chain of callbacks and errbacks.
    Deferred,
    /// Functions that read sequentially and pause at every wait.
    AsyncAwait,
    /// Independent tasks that talk by sending messages.
    TasksAndMessages,
    /// Values that arrive one at a time, pulled when wanted.
    Streams,
}

impl Concept {
    /// The words the table uses.
    pub fn label(self) -> &'static str {
        match self {
            Concept::ReadinessLoop => "readiness loop",
            Concept::Reactor => "reactor",
            Concept::Callbacks => "callbacks",
            Concept::Deferred => "deferred",
            Concept::AsyncAwait => "async/await",
            Concept::TasksAndMessages => "tasks and messages",
            Concept::Streams => "streams",
        }
    }
}

/// What a client is given on its command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// The three poetry servers' addresses.
    Poems,
    /// The transformation server's address, then the poetry servers'
    /// (clients 6.0 to 8.0); the poems come back in lower case.
    Transformed,
    /// Client 5.0's options: a `--seed` under which cummingsify lowercases
    /// every poem, and `--print`, then the poetry servers' addresses.
    Cummingsified,
}

impl Setup {
    /// Whether the poem a client keeps is the served poem in lower case.
    pub fn lowercases(self) -> bool {
        matches!(self, Setup::Transformed | Setup::Cummingsified)
    }
}

/// How the tour knows, from what a client printed, that it got every poem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// The chunk lines, `Task N: got B bytes of poetry from …`, add up for
    /// each task to the length of the poem its server sent.
    Sizes,
    /// The sizes, and each poem the client kept is printed whole.
    Text,
    /// Each line of each poem the client kept is printed, in order, at the
    /// end of a line of output (for clients that print poems line by line,
    /// tagged or not).
    Lines,
}

/// One client of the series.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    /// Its program's name (`cargo run -p PACKAGE --bin NAME`).
    pub name: &'static str,
    /// The package that builds it, `part-NN`.
    pub package: &'static str,
    /// What it runs on.
    pub runs_on: RunsOn,
    /// The ideas it is built from.
    pub concepts: &'static [Concept],
    /// What the tour gives it on its command line.
    pub setup: Setup,
    /// How the tour checks its output.
    pub proof: Proof,
    /// The files that are the program, relative to `parts/`: its `bin`
    /// file first, then the modules of its part written for it (not the
    /// machinery under it: the reactor, the deferred, the runtime).
    pub files: &'static [&'static str],
    /// Those files' text, included when the tour is compiled.
    pub sources: &'static [&'static str],
}

impl Client {
    /// The part that built it: 22 for `part-22`.
    pub fn part(&self) -> u8 {
        self.package
            .strip_prefix("part-")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// Lines of code in its files (see [`crate::lines::code_lines`]).
    pub fn lines(&self) -> usize {
        self.sources
            .iter()
            .map(|text| crate::lines::code_lines(text))
            .sum()
    }
}

/// One entry of [`CLIENTS`]:
///
/// ```text
/// client!(NAME, PACKAGE, RUNS_ON, [CONCEPT, …], SETUP, PROOF, [FILE, …])
/// ```
///
/// `RUNS_ON` is a [`RunsOn`] variant, each `CONCEPT` a [`Concept`]
/// variant, `SETUP` a [`Setup`] variant, `PROOF` a [`Proof`] variant;
/// the files are paths under `parts/`, the program's `bin` file first.
/// Their text is included at compile time, so a file that does not exist
/// is a compile error, and the line counts follow every edit.
#[macro_export]
macro_rules! client {
    ($name:literal, $package:literal, $runs_on:ident, [$($concept:ident),*], $setup:ident, $proof:ident, [$($file:literal),+ $(,)?]) => {
        $crate::Client {
            name: $name,
            package: $package,
            runs_on: $crate::RunsOn::$runs_on,
            concepts: &[$($crate::Concept::$concept),*],
            setup: $crate::Setup::$setup,
            proof: $crate::Proof::$proof,
            files: &[$($file),+],
            sources: &[$(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../", $file))),+],
        }
    };
}

// ANCHOR: clients
/// Every poetry client of the series, in the order the series built them.
#[rustfmt::skip]
pub const CLIENTS: &[Client] = &[
    client!("blocking-client", "part-02", Blocking, [], Poems, Sizes, ["part-02/src/bin/blocking-client.rs", "part-02/src/blocking.rs"]),
    client!("async-client", "part-02", OwnLoop, [ReadinessLoop], Poems, Sizes, ["part-02/src/bin/async-client.rs", "part-02/src/async_client.rs"]),
    client!("client-1", "part-04", OurReactor, [Reactor], Poems, Sizes, ["part-04/src/bin/client-1.rs", "part-04/src/lib.rs"]),
    client!("client-2", "part-05", OurReactor, [Reactor, Callbacks], Poems, Sizes, ["part-05/src/bin/client-2.rs", "part-05/src/protocol.rs", "part-05/src/client.rs"]),
    client!("client-2-tokio", "part-05", Tokio, [Reactor, AsyncAwait], Poems, Sizes, ["part-05/src/bin/client-2-tokio.rs", "part-05/src/tokio_client.rs"]),
    client!("client-3", "part-06", OurReactor, [Reactor, Callbacks], Poems, Sizes, ["part-06/src/bin/client-3.rs", "part-06/src/protocol.rs", "part-06/src/callback.rs"]),
    client!("client-4", "part-08", OurReactor, [Reactor, Callbacks, Deferred], Poems, Sizes, ["part-08/src/bin/client-4.rs", "part-08/src/poetry.rs"]),
    client!("client-4-tokio", "part-08", Tokio, [Reactor, AsyncAwait], Poems, Sizes, ["part-08/src/bin/client-4-tokio.rs", "part-08/src/tokio_poetry.rs"]),
    client!("client-5", "part-10", OurReactor, [Reactor, Callbacks, Deferred], Cummingsified, Text, ["part-10/src/bin/client-5.rs", "part-10/src/client_5.rs", "part-10/src/cummingsify.rs"]),
    client!("client-5-tokio", "part-10", Tokio, [Reactor, AsyncAwait], Cummingsified, Text, ["part-10/src/bin/client-5-tokio.rs", "part-10/src/tokio_poetry.rs", "part-10/src/cummingsify.rs"]),
    client!("client-6", "part-12", OurReactor, [Reactor, Callbacks, Deferred], Transformed, Sizes, ["part-12/src/bin/client-6.rs", "part-12/src/client6.rs", "part-12/src/proxy.rs"]),
    client!("client-7", "part-17", OurRuntime, [Reactor, Deferred, AsyncAwait], Transformed, Sizes, ["part-17/src/bin/client-7.rs", "part-17/src/client7.rs"]),
    client!("client-7-tokio", "part-17", Tokio, [Reactor, AsyncAwait], Transformed, Sizes, ["part-17/src/bin/client-7-tokio.rs", "part-17/src/client7.rs"]),
    client!("client-8", "part-18", OurReactor, [Reactor, Callbacks, Deferred], Transformed, Sizes, ["part-18/src/bin/client-8.rs"]),
    client!("client-8-tokio", "part-18", Tokio, [Reactor, AsyncAwait], Transformed, Sizes, ["part-18/src/bin/client-8-tokio.rs"]),
    client!("erlang-client", "part-20", OurRuntime, [Reactor, AsyncAwait, TasksAndMessages], Poems, Text, ["part-20/src/bin/erlang-client.rs", "part-20/src/client.rs", "part-20/src/mailbox.rs", "part-20/src/monitor.rs", "part-20/src/supervisor.rs"]),
    client!("erlang-client-tokio", "part-20", Tokio, [Reactor, AsyncAwait, TasksAndMessages], Poems, Text, ["part-20/src/bin/erlang-client-tokio.rs", "part-20/src/tokio_side.rs", "part-20/src/supervisor.rs"]),
    client!("haskell-client-1", "part-21", OurRuntime, [Reactor, AsyncAwait, Streams], Poems, Text, ["part-21/src/bin/haskell-client-1.rs", "part-21/src/haskell.rs", "part-21/src/lines.rs"]),
    client!("haskell-client-2", "part-21", OurRuntime, [Reactor, AsyncAwait, TasksAndMessages, Streams], Poems, Text, ["part-21/src/bin/haskell-client-2.rs", "part-21/src/haskell.rs", "part-21/src/lines.rs"]),
    client!("haskell-client-1-tokio", "part-21", Tokio, [Reactor, AsyncAwait, Streams], Poems, Text, ["part-21/src/bin/haskell-client-1-tokio.rs", "part-21/src/tokio_side.rs", "part-21/src/lines.rs"]),
    client!("haskell-client-2-tokio", "part-21", Tokio, [Reactor, AsyncAwait, TasksAndMessages, Streams], Poems, Text, ["part-21/src/bin/haskell-client-2-tokio.rs", "part-21/src/tokio_side.rs", "part-21/src/lines.rs"]),
];
// ANCHOR_END: clients

/// The packages that build [`CLIENTS`], each once, in list order.
pub fn packages(clients: &[Client]) -> Vec<&'static str> {
    let mut packages: Vec<&'static str> = Vec::new();
    for client in clients {
        if !packages.contains(&client.package) {
            packages.push(client.package);
        }
    }
    packages
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ideas column is read down as well as across: every client that
    /// hands its waiting to a loop (ours or tokio's) says so the same way,
    /// and no client says it of a loop it does not have.
    #[test]
    fn every_client_on_an_event_loop_lists_the_reactor() {
        for client in CLIENTS {
            let on_a_loop = matches!(
                client.runs_on,
                RunsOn::OurReactor | RunsOn::OurRuntime | RunsOn::Tokio
            );
            assert_eq!(
                client.concepts.contains(&Concept::Reactor),
                on_a_loop,
                "{}",
                client.name
            );
        }
    }
}
