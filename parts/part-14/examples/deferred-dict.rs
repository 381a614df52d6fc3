//! `deferred-dict`: a map whose lookups return deferreds.
//!
//! One scene on part 3's reactor: a producer fills a dict of poems (name to
//! title and author) in its own order, one key every 0.1 s, while readers
//! ask for the poems on their reading lists in theirs. A reader who asks for
//! a poem that is set gets a deferred fired already; one who asks for a
//! poem not set yet waits, and is answered by the `set`, together with
//! everyone else waiting for that poem, in the order they asked. Each reader
//! asks for its next poem from inside the callback that gave it the last
//! one. One reader asks for a poem nobody will set, and gives up.
//!
//! ```text
//! cargo run -p part-14 --example deferred-dict
//! ```

use std::collections::VecDeque;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_03::Reactor;
use part_07::{CancelHandle, Failure};
use part_14::structures::DeferredDict;

/// Shows a deferred dict on the reactor: a producer sets keys in its order,
/// readers ask in theirs, and each gets its value as soon as it is set.
#[derive(Debug, Parser)]
#[command(name = "deferred-dict")]
struct Args {}

/// The poems the producer knows, in the order it sets them: the name, and
/// the poem's file, whose first two lines are its title and author.
fn catalogue() -> [(&'static str, &'static str); 4] {
    [
        ("ecstasy", include_str!("../../../poetry/ecstasy.txt")),
        ("panther", include_str!("../../../poetry/panther.txt")),
        ("science", include_str!("../../../poetry/science.txt")),
        ("tyger", include_str!("../../../poetry/tyger.txt")),
    ]
}

/// "Title, by Author", from the start of a poem's file: the title is its
/// first line, the author the last line before the first blank one.
fn title(poem: &str) -> String {
    let mut heading = poem
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty());
    let title = heading.next().unwrap_or_default();
    let author = heading.last().unwrap_or("nobody knows whom");
    format!("{title}, by {author}")
}

/// The reactor's time, for the start of a line of output.
fn at(reactor: &Reactor) -> String {
    format!("{:5.2}s", reactor.now().as_secs_f64())
}

type Poems = DeferredDict<String, String>;

// ANCHOR: reader
/// Reader `who` asks for the first poem on its list; when it comes, the
/// callback prints it and asks for the next (`again`: from inside the
/// callback, and so from inside the producer's `set`). Returns a handle to give up
/// the wait, if there was anything to ask for.
fn read(
    poems: &Poems,
    reactor: &Reactor,
    who: &'static str,
    mut list: VecDeque<&'static str>,
    again: bool,
) -> Option<CancelHandle> {
    let name = list.pop_front()?;
    let title = poems.get(name);
    let state = if title.is_called() {
        "set already"
    } else {
        "not set yet, waits"
    };
    if again {
        println!("{}    {who} then asks for {name}: {state}", at(reactor));
    } else {
        println!("{}  {who} asks for {name}: {state}", at(reactor));
    }
    let handle = title.cancel_handle();
    let (poems, reactor, failed_reactor) = (poems.clone(), reactor.clone(), reactor.clone());
    let _ = title.add_callbacks(
        move |title: String| {
            println!("{}    {who} got {name}: {title}", at(&reactor));
            read(&poems, &reactor, who, list, true);
        },
        move |failure: Failure| {
            let why = failure.message();
            println!(
                "{}    {who} stopped waiting for {name}: {why}",
                at(&failed_reactor)
            );
        },
    );
    Some(handle)
}
// ANCHOR_END: reader

// ANCHOR: scene
/// The scene: readers ask from the start, the producer sets a poem every
/// 0.1 s, and the reader waiting for a poem nobody has gives up at the end.
fn scene(reactor: &Reactor) {
    let poems = Poems::new();
    let lists: [(&str, &[&str]); 3] = [
        ("Ada", &["tyger", "ecstasy"]),
        ("Ben", &["science", "panther", "tyger"]),
        ("Cy", &["tyger"]),
    ];
    for (who, list) in lists {
        read(&poems, reactor, who, list.iter().copied().collect(), false);
    }
    let dora = read(&poems, reactor, "Dora", ["raven"].into(), false);
    for (n, (name, poem)) in catalogue().into_iter().enumerate() {
        let (poems, later) = (poems.clone(), reactor.clone());
        let when = Duration::from_millis(100 * (n as u64 + 1));
        reactor.call_later(when, move || {
            let waiting = poems.waiting(name);
            println!(
                "{}  the producer sets {name} ({waiting} waiting)",
                at(&later)
            );
            poems.set(name.to_string(), title(poem));
        });
    }
    let later = reactor.clone();
    reactor.call_later(Duration::from_millis(450), move || {
        println!(
            "{}  {} poems are set; nobody will set raven, and Dora gives up",
            at(&later),
            poems.len()
        );
        if let Some(dora) = dora {
            dora.cancel();
        }
    });
}
// ANCHOR_END: scene

fn main() -> ExitCode {
    let Args {} = Args::parse();
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("The producer sets poems in its order; readers ask in theirs.");
    scene(&reactor);
    let stopper = reactor.clone();
    reactor.call_later(Duration::from_millis(500), move || stopper.stop());
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!();
    println!("Every get returned a deferred at once. A poem set already came inside");
    println!("the get; one not set yet came with its set, to its readers in the order");
    println!("they had asked.");
    ExitCode::SUCCESS
}
