//! The guided demo of part 10: `cargo run -p part-10`.
//!
//! Starts a few slow poetry servers inside this process, picks a port where
//! nobody listens, and runs client 5.0 on them with a seed that gives the
//! three poems the three fates of cummingsify: lowercased, gibberish, a bug.
//! For each task it prints what the callbacks said and the start of the
//! poem kept. Then it runs client 5.1, which recovers with an errback, and
//! the same client on tokio.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::demo::{DemoArgs, closed_port};
use part_02::{Address, cli};
use part_03::Reactor;
use part_06::{Printer, Task, summary};
use part_08::tokio_poetry::block_on;
use part_10::client_5::try_to_cummingsify;
use part_10::run::get_transformed_poems;
use part_10::{Fate, client_5_1, fates, tokio_poetry};

/// With this seed, cummingsify lowercases task 1's poem, turns task 2's
/// into gibberish and trips over its bug on task 3's (a test checks).
const DEMO_SEED: u64 = 123;

/// Part 10 — Poetry transformed: client 5.0, which cummingsifies every
/// poem it downloads (and recovers when that fails one way, not the
/// other), on slow poetry servers started in this process and one port
/// where nobody listens; then client 5.1, which recovers in an errback,
/// and the same client on tokio.
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
    println!("die, and it is 1 in 3 each for lowercase, gibberish (GibberishError) and a");
    println!("bug (CummingsifyBug). Each task has its own dice, forked from the seed in");
    println!("task order. With seed {}:", args.seed);
    for (task, fate) in (1..).zip(fates(args.seed, sockets.len())) {
        let note = if task == refused {
            " (if a poem ever arrives)"
        } else {
            ""
        };
        println!("  task {task}: {}{note}", describe(fate));
    }

    println!();
    println!("1. Client 5.0 (client-5): one callback, try_to_cummingsify, sorts the");
    println!("   failures out itself. Gibberish goes on as a failure, and the poem is lost;");
    println!("   after the bug it falls back on the original poem. What each task printed");
    println!("   (its chunk lines left out), and the first line of the poem it kept:");
    println!();
    let five = client_5(&sockets, args.seed, Version::Five)?;
    five.show();

    println!();
    println!("2. Client 5.1 (client-5-1): the callback fails with CannotCummingsify, which");
    println!("   carries the original poem, and the errback cummingsify_failed, the next");
    println!("   step of the chain, recovers from that failure alone:");
    println!();
    let five_one = client_5(&sockets, args.seed, Version::FiveOne)?;
    if five_one.by_task == five.by_task {
        println!("   Same seed, same servers: every task printed what it printed in client 5.0.");
    } else {
        five_one.show();
    }

    println!();
    println!("3. Rust today: client 5.0 as an async fn on tokio (client-5-tokio), where");
    println!("   `?` passes a failure on and a match sorts cummingsify's errors out:");
    println!();
    let tokio = client_5_tokio(&sockets, args.seed)?;
    if tokio.by_task == five.by_task {
        println!("   Every task printed what it printed in client 5.0.");
    } else {
        tokio.show();
    }

    println!();
    println!("What to notice:");
    println!("- The transform is one more step on each chain, and it can fail two ways.");
    println!("  Gibberish reaches poem_failed, and the poem counts as lost; the bug is");
    println!("  recovered from, and the original poem reaches got_poem.");
    println!("- In 5.0 a callback decides, with a match. In 5.1 the callback only fails,");
    println!("  with an error that carries what the recovery needs, and an errback below it");
    println!("  recovers: trap::<CannotCummingsify>() takes that failure and lets the");
    println!("  others (gibberish, the refused download) go on down the chain.");
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

/// What one run printed, by task, other than chunks; then its summary.
struct Outcome {
    by_task: BTreeMap<usize, Vec<String>>,
    summary: Vec<String>,
}

impl Outcome {
    fn sort_out(lines: &Lines, poems: &[Option<Vec<u8>>], elapsed: Duration) -> Outcome {
        let mut by_task: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for line in lines.borrow().iter() {
            let chunk = line.contains(": got ") && line.contains(" bytes of poetry from ");
            if let Some(task) = task_number(line).filter(|_| !chunk) {
                by_task.entry(task).or_default().push(line.clone());
            }
        }
        for (task, poem) in (1..).zip(poems) {
            if let Some(poem) = poem {
                let first_line = String::from_utf8_lossy(poem);
                let first_line = first_line.lines().next().unwrap_or("");
                let line = format!("  (it kept \"{first_line}…\")");
                by_task.entry(task).or_default().push(line);
            }
        }
        let summary = summary(poems, elapsed);
        Outcome { by_task, summary }
    }

    /// Prints each task's lines, in task order, then the summary.
    fn show(&self) {
        for line in self.by_task.values().flatten().chain(&self.summary) {
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

/// Client 5.0 or 5.1, as in `client-5` and `client-5-1`.
fn client_5(sockets: &[SocketAddr], seed: u64, version: Version) -> Result<Outcome, String> {
    let reactor = Reactor::new().map_err(|error| format!("cannot create a reactor: {error}"))?;
    let (tasks, lines) = tasks_for(sockets);
    let start = Instant::now();
    let poems =
        get_transformed_poems(
            &reactor,
            &tasks,
            seed,
            false,
            |deferred, task, dice| match version {
                Version::Five => deferred.add_callback(try_to_cummingsify(task, dice)),
                Version::FiveOne => deferred
                    .add_callback(client_5_1::cummingsify(dice))
                    .add_errback(client_5_1::cummingsify_failed(task)),
            },
        )
        .map_err(|error| format!("the reactor failed: {error}"))?;
    Ok(Outcome::sort_out(&lines, &poems, start.elapsed()))
}

/// The tokio client, as in `client-5-tokio`.
fn client_5_tokio(sockets: &[SocketAddr], seed: u64) -> Result<Outcome, String> {
    let (tasks, lines) = tasks_for(sockets);
    let start = Instant::now();
    let poems = block_on(tokio_poetry::get_poems(&tasks, seed, false))
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    Ok(Outcome::sort_out(&lines, &poems, start.elapsed()))
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
