//! The guided demo of part 10: `cargo run -p part-10`.
//!
//! Starts a few slow poetry servers inside this process, picks a port where
//! nobody listens, and runs client 5.0 on them with a seed that gives the
//! three poems the three fates of cummingsify: lowercased, gibberish, a bug.
//! For each task it prints what the callbacks said and draws the route
//! down the poem's chain. Then it runs client 5.1, the same steps arranged
//! differently, and shows where the routes differ; and ends with the same
//! client on tokio.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::demo::{DemoArgs, closed_port};
use part_02::{Address, cli};
use part_03::Reactor;
use part_06::{Printer, Task, summary};
use part_08::get_poetry;
use part_08::tokio_poetry::block_on;
use part_10::{Arrangement, CLIENT_5, CLIENT_5_1, Fate, Route, Run, draw, fates, tokio_poetry};

/// With this seed, cummingsify lowercases task 1's poem, turns task 2's
/// into gibberish and trips over its bug on task 3's (a test checks).
const DEMO_SEED: u64 = 123;

/// Part 10 — Poetry transformed: client 5.0, which cummingsifies every
/// poem it downloads (and recovers when that fails one way, not the
/// other), on slow poetry servers started in this process and one port
/// where nobody listens; then client 5.1, the same steps arranged
/// differently, and the same client on tokio.
#[derive(Debug, Parser)]
#[command(name = "part-10", version)]
struct Args {
    #[command(flatten)]
    demo: DemoArgs,
    /// Seed for cummingsify's dice (the default gives the first three
    /// tasks the three different fates).
    #[arg(long, default_value_t = DEMO_SEED)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::fail(error),
    }
}

fn run(args: &Args) -> Result<(), String> {
    let servers = args
        .demo
        .start()
        .map_err(|error| format!("cannot start a slow poetry server: {error}"))?;
    let nobody = closed_port().map_err(|error| format!("cannot find a free port: {error}"))?;
    let mut sockets = servers.sockets();
    sockets.push(nobody);
    let refused = sockets.len();

    println!("Part 10 — Poetry transformed");
    println!();
    servers.describe();
    println!("and a port where nobody listens:");
    println!("  task {refused}: {nobody}");
    println!();
    println!("cummingsify lowercases a poem, as e. e. cummings might, or fails: it throws a");
    println!("die, and it is 1 in 3 each for lowercase, gibberish (GibberishError, which");
    println!("hands back the original) and a bug (CummingsifyBug). Each task has its own");
    println!(
        "dice, forked from the seed in task order. With seed {}:",
        args.seed
    );
    for (task, fate) in (1..).zip(fates(args.seed, sockets.len())) {
        let note = if task == refused {
            " (if a poem ever arrives)"
        } else {
            ""
        };
        println!("  task {task}: {}{note}", describe(fate));
    }

    println!();
    println!("1. Client 5.0 (client-5). Each poem's chain is");
    println!();
    println!("       get_poetry(&reactor, task)");
    println!("           .add_callback(steps.try_to_cummingsify())");
    println!("           .add_callbacks(steps.got_poem(), steps.poem_failed())");
    println!("           .add_both(steps.poem_done())");
    println!();
    println!("   and try_to_cummingsify makes a little chain of its own for the transform:");
    println!("   succeed(poem).add_callback(cummingsify).add_errback(keep_the_original).");
    println!("   What each task printed, and the route down its chain (● ran, ○ passed by):");
    println!();
    let five = client_5(&sockets, args.seed, Version::Five)?;
    five.show_tasks(CLIENT_5, None);
    five.finish();

    println!();
    println!("2. Client 5.1 (client-5-1): the same steps, but keep_the_original is a step of");
    println!("   the poem's own chain, right after cummingsify:");
    println!();
    println!("       get_poetry(&reactor, task)");
    println!("           .add_callback(steps.cummingsify())");
    println!("           .add_errback(steps.keep_the_original())");
    println!("           .add_callbacks(steps.got_poem(), steps.poem_failed())");
    println!("           .add_both(steps.poem_done())");
    println!();
    let five_one = client_5(&sockets, args.seed, Version::FiveOne)?;
    if five_one.by_task == five.by_task {
        println!("   Same seed, same servers: every task printed what it printed in client 5.0.");
    } else {
        println!("   What each task printed:");
        five_one.show_tasks(CLIENT_5_1, Some(&[]));
    }
    println!("   But look at the routes of a poem that came out as gibberish, and of the");
    println!("   download that was refused:");
    println!();
    let gibberish = (1..)
        .zip(fates(args.seed, servers.len()))
        .find(|(_, fate)| *fate == Fate::Gibberish)
        .map(|(task, _)| task);
    let shown: Vec<usize> = gibberish.into_iter().chain([refused]).collect();
    five_one.show_tasks(CLIENT_5_1, Some(&shown));
    five_one.finish();
    println!();
    println!("In client 5.1, keep_the_original is handed the refused download's FetchError");
    println!("too: it sits on the poem's own chain, below get_poetry, so every failure from");
    println!("above reaches it. trap::<GibberishError>() is what makes that harmless: any");
    println!("other failure goes on as it came. In client 5.0 it never sees one: its chain");
    println!("starts from a poem that has arrived.");

    println!();
    println!("3. Rust today: the same client as an async fn on tokio (client-5-tokio). The");
    println!("   chain becomes lines of code: `?` passes a failure on, and a match on the");
    println!("   error's variant keeps the original after gibberish. Same seed, same dice:");
    println!();
    let tokio = client_5_tokio(&sockets, args.seed)?;
    if tokio.by_task == five.by_task {
        println!("   Every task printed what it printed in client 5.0.");
    } else {
        tokio.show_tasks(CLIENT_5, Some(&[]));
    }
    tokio.finish();

    println!();
    println!("What to notice:");
    println!("- The transform is one more step on each chain, and it can fail in two ways.");
    println!("  The errback after it recovers from one (gibberish: keep the original, which");
    println!("  the failure carries) and lets the other through with `?` on trap, so the");
    println!("  bug reaches poem_failed at the end and the poem counts as lost.");
    println!("- A step's place decides what it sees. An errback sees every failure from");
    println!("  every step above it that nobody recovered from; a callback's failure goes to");
    println!("  the errbacks *below* it, never to the errback beside it in the same pair.");
    println!("- The two arrangements print the same lines; their routes differ. Checking the");
    println!("  failure's type is what lets an errback sit where other failures pass by.");
    println!("- On tokio the same logic is a match on an enum: the compiler lists the cases.");
    Ok(())
}

/// A few words for what the dice decided.
fn describe(fate: Fate) -> &'static str {
    match fate {
        Fate::Lowercase => "lowercase",
        Fate::Gibberish => "gibberish",
        Fate::Bug => "a bug",
    }
}

/// Which of the two arrangements to run.
#[derive(Clone, Copy)]
enum Version {
    Five,
    FiveOne,
}

/// The lines a printer was given, kept.
type Lines = Rc<RefCell<Vec<String>>>;

/// What one run printed, sorted out by task, with its routes and summary.
struct Outcome {
    /// Each task's lines, other than chunks, in the order printed.
    by_task: BTreeMap<usize, Vec<String>>,
    chunks: usize,
    routes: Vec<Route>,
    summary: Vec<String>,
}

impl Outcome {
    fn sort_out(lines: &Lines, routes: Vec<Route>, summary: Vec<String>) -> Outcome {
        let mut by_task: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let mut chunks = 0;
        for line in lines.borrow().iter() {
            if line.contains(": got ") && line.contains(" bytes of poetry from ") {
                chunks += 1;
            } else if let Some(task) = task_number(line) {
                by_task.entry(task).or_default().push(line.clone());
            }
        }
        Outcome {
            by_task,
            chunks,
            routes,
            summary,
        }
    }

    /// Prints each task's lines (the tasks in `only`, if given), each
    /// followed by its route on `arrangement`, when there are routes.
    fn show_tasks(&self, arrangement: Arrangement, only: Option<&[usize]>) {
        for (task, lines) in &self.by_task {
            if only.is_some_and(|only| !only.contains(task)) {
                continue;
            }
            for line in lines {
                println!("   {line}");
            }
            if let Some(route) = self.routes.get(task - 1) {
                for line in draw(arrangement, route) {
                    println!("   {line}");
                }
                println!();
            }
        }
    }

    /// Says how many chunk lines were not shown, then prints the summary.
    fn finish(&self) {
        println!(
            "   (and {} chunk lines from inside get_poetry, not shown here)",
            self.chunks
        );
        for line in &self.summary {
            println!("   {line}");
        }
    }
}

/// `Task N…` → N.
fn task_number(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("Task ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Tasks for `sockets`, numbered from 1, whose lines are kept.
fn tasks_for(sockets: &[SocketAddr]) -> (Vec<Task>, Lines) {
    let lines: Lines = Rc::default();
    let kept = Rc::clone(&lines);
    let printer = Printer::new(move |_, line| kept.borrow_mut().push(line.to_string()));
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();
    (Task::numbered(&addresses, sockets, &printer), lines)
}

// ANCHOR: demo_client_5
/// Client 5.0 or 5.1, as in `client-5` and `client-5-1`.
fn client_5(sockets: &[SocketAddr], seed: u64, version: Version) -> Result<Outcome, String> {
    let reactor = Reactor::new().map_err(|error| format!("cannot create a reactor: {error}"))?;
    let (tasks, lines) = tasks_for(sockets);
    let (run, steps) = Run::new(&reactor, &tasks, seed, false);
    for (task, steps) in tasks.iter().zip(&steps) {
        let deferred = get_poetry(&reactor, task);
        let deferred = match version {
            Version::Five => deferred.add_callback(steps.try_to_cummingsify()),
            Version::FiveOne => deferred
                .add_callback(steps.cummingsify())
                .add_errback(steps.keep_the_original()),
        };
        let _ = deferred
            .add_callbacks(steps.got_poem(), steps.poem_failed())
            .add_both(steps.poem_done());
    }
    reactor
        .run()
        .map_err(|error| format!("the reactor failed: {error}"))?;
    Ok(Outcome::sort_out(
        &lines,
        run.routes().to_vec(),
        run.summary(),
    ))
}
// ANCHOR_END: demo_client_5

/// The tokio client, as in `client-5-tokio`.
fn client_5_tokio(sockets: &[SocketAddr], seed: u64) -> Result<Outcome, String> {
    let (tasks, lines) = tasks_for(sockets);
    let start = Instant::now();
    let poems = block_on(tokio_poetry::get_poems(&tasks, seed, false))
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    let poems: Vec<Option<Vec<u8>>> = poems
        .into_iter()
        .map(|poem| poem.map(String::into_bytes))
        .collect();
    let summary = summary(&poems, start.elapsed());
    Ok(Outcome::sort_out(&lines, Vec::new(), summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_seed_gives_the_three_fates_in_order() {
        assert_eq!(
            fates(DEMO_SEED, 3),
            [Fate::Lowercase, Fate::Gibberish, Fate::Bug]
        );
    }

    #[test]
    fn task_numbers_are_read_from_lines() {
        assert_eq!(task_number("Task 12: cummingsified"), Some(12));
        assert_eq!(task_number("Task 3 finished"), Some(3));
        assert_eq!(task_number("Got 2 poems in 1.000s"), None);
    }
}
