//! Asynchronous initialisation, two ways, on a virtual clock: a poem index
//! whose table of contents takes two seconds to load. First as an
//! [`AsyncInit`], handed out at once, whose early calls wait; then with
//! an async constructor, which hands the index out only when it is ready.
//!
//! ```text
//! cargo run -p part-17 --example async-init
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::cli::fail;
use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure};
use part_17::{AsyncInit, Runtime};

/// Shows an object whose set-up takes time: waiting calls, a failed
/// set-up, and the async-constructor idiom.
#[derive(Debug, Parser)]
#[command(name = "async-init")]
struct Args {}

// ANCHOR: index
/// A poem index: the titles of the poems a server has.
struct PoemIndex {
    titles: Vec<&'static str>,
}

impl PoemIndex {
    /// The title of poem `n`.
    fn title(&self, n: usize) -> Result<String, Failure> {
        let title = self
            .titles
            .get(n)
            .ok_or_else(|| Failure::msg(format!("no poem {n}")))?;
        Ok(title.to_string())
    }
}

/// Loads the table of contents: two seconds on the reactor's clock, then
/// the titles, or a failure if the server is `down`.
fn load_contents(rt: &Runtime, down: bool) -> Deferred<PoemIndex> {
    rt.sleep(Duration::from_secs(2)).add_callback(move |()| {
        if down {
            return Err(Failure::msg("connection refused"));
        }
        Ok(PoemIndex {
            titles: vec!["The Tyger", "The Raven", "Ozymandias"],
        })
    })
}
// ANCHOR_END: index

// ANCHOR: constructor
impl PoemIndex {
    /// The Rust idiom: an async constructor. Nobody can hold a `PoemIndex`
    /// that is not ready, because none exists until this returns.
    async fn open(rt: &Runtime) -> Result<PoemIndex, Failure> {
        load_contents(rt, false).await
    }
}
// ANCHOR_END: constructor

/// Prints a line with the reactor's time in front.
fn say(rt: &Runtime, what: &str) {
    println!("{:>4.1}s  {what}", rt.reactor().now().as_secs_f64());
}

/// Asks `index` for poem `n` on behalf of `who`, and prints the answer.
fn ask(rt: &Runtime, index: &AsyncInit<PoemIndex>, who: &'static str, n: usize) -> Deferred<()> {
    say(rt, &format!("{who} asks for poem {n}"));
    let rt = rt.clone();
    index
        .call(move |index: &PoemIndex| index.title(n))
        .add_both(move |outcome: Result<String, Failure>| match outcome {
            Ok(title) => say(&rt, &format!("{who} got {title:?}")),
            Err(failure) => say(&rt, &format!("{who} failed: {}", failure.message())),
        })
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let reactor = match Reactor::with(BackendKind::Mio, VirtualClock::new()) {
        Ok(reactor) => reactor,
        Err(error) => return fail(format!("cannot make a reactor: {error}")),
    };
    let rt = Runtime::new(&reactor);
    // ANCHOR: scene_1
    println!("An AsyncInit, handed out before it is ready:");
    let index = AsyncInit::new(load_contents(&rt, false));
    let _ = ask(&rt, &index, "ada", 0);
    let ben = ask(&rt, &index, "ben", 1);
    let _ = ask(&rt, &index, "cy", 7);
    say(&rt, "ben gives up");
    ben.cancel();
    let _ = rt.block_on(rt.sleep(Duration::from_secs(3)).into_future());
    let _ = ask(&rt, &index, "dora", 2);
    // ANCHOR_END: scene_1
    // ANCHOR: scene_2
    println!("A set-up that fails:");
    let broken = AsyncInit::new(load_contents(&rt, true));
    let _ = ask(&rt, &broken, "ada", 0);
    let _ = rt.block_on(rt.sleep(Duration::from_secs(3)).into_future());
    let _ = ask(&rt, &broken, "ben", 1);
    // ANCHOR_END: scene_2
    // ANCHOR: scene_3
    println!("An async constructor:");
    let outcome = rt.block_on({
        let rt = rt.clone();
        async move {
            say(&rt, "opening the index");
            let index = PoemIndex::open(&rt).await?;
            say(&rt, &format!("ada got {:?}", index.title(0)?));
            Ok::<_, Failure>(())
        }
    });
    if let Ok(Err(failure)) | Err(failure) = outcome {
        say(&rt, &format!("failed: {}", failure.message()));
    }
    // ANCHOR_END: scene_3
    ExitCode::SUCCESS
}
