//! The guided demo of part 1: `cargo run -p part-01`.
//!
//! Runs the same three tasks in the three models (synchronous, threaded,
//! asynchronous), draws each model's timeline on one time scale, and says
//! what to notice. Every line it prints has the same shape on every run;
//! only times and bar lengths change.

use std::time::Duration;

use clap::Parser;
use part_01::task::{longest_task, sum_of_steps};
use part_01::timeline::{Activity, Timeline, format_secs, legend};
use part_01::{demo_tasks, run_asynchronous, run_synchronous, run_threaded};

/// Runs three tasks three ways and draws a timeline of each.
///
/// The same tasks run one after another, on a thread each, and taking turns
/// on one thread; then the three totals are compared.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Milliseconds per tick; every step of every task is a few ticks
    #[arg(long, value_name = "MS", default_value_t = 100,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    tick_ms: u64,

    /// Columns for the time axis of each timeline
    #[arg(long, value_name = "COLUMNS", default_value_t = 64,
          value_parser = clap::value_parser!(u16).range(20..=400))]
    width: u16,
}

fn main() {
    let args = Args::parse();
    let tick = Duration::from_millis(args.tick_ms);
    let width = usize::from(args.width);
    let tasks = demo_tasks(tick);
    let label_width = tasks.iter().map(|t| t.name.len()).max().unwrap_or(0);

    println!("Part 1: three ways to do three tasks");
    println!();
    println!("Each task alternates between work, when it needs the CPU, and waiting,");
    println!("when it needs something outside the program (think of a slow server).");
    println!("One glyph stands for one tick ({}):", format_secs(tick));
    println!();
    for task in &tasks {
        println!(
            "  {:<label_width$}  {:<24}  {}",
            task.name,
            task.sketch(tick),
            task.summary()
        );
    }
    println!();
    println!("All steps added up: {}.", format_secs(sum_of_steps(&tasks)));
    println!("Key: {}", legend());

    let synchronous = run_synchronous(&tasks);
    let threaded = run_threaded(&tasks);
    let asynchronous = run_asynchronous(&tasks);

    // One scale for all three pictures, so their lengths compare by eye.
    let scale = synchronous
        .total
        .max(threaded.total)
        .max(asynchronous.total);
    let show = |intro: &[&str], timeline: &Timeline| {
        println!();
        for line in intro {
            println!("{line}");
        }
        println!();
        print!("{}", timeline.render_scaled(width, scale));
    };
    show(
        &[
            "1. Synchronous: one thread runs task 1 to its end, then task 2, then",
            "   task 3. While a task waits, the thread waits with it.",
        ],
        &synchronous,
    );
    show(
        &[
            "2. Threaded: each task runs on a thread of its own, exactly as above.",
            "   While one thread waits, the operating system runs the others.",
        ],
        &threaded,
    );
    show(
        &[
            "3. Asynchronous: one thread and a small loop. The loop runs a task until",
            "   it would wait, notes when the wait ends, and switches to a ready task.",
        ],
        &asynchronous,
    );

    println!();
    println!("Totals");
    println!(
        "  synchronous   {}   (all steps added up: {})",
        format_secs(synchronous.total),
        format_secs(sum_of_steps(&tasks))
    );
    println!(
        "  threaded      {}   (the longest task alone: {})",
        format_secs(threaded.total),
        format_secs(longest_task(&tasks))
    );
    println!(
        "  asynchronous  {}   (the longest task alone: {})",
        format_secs(asynchronous.total),
        format_secs(longest_task(&tasks))
    );

    println!();
    println!("What to notice");
    println!("  - The synchronous total is every step added up: its waits never overlap.");
    println!(
        "  - Threaded ({}) and asynchronous ({}) are close to each other and far",
        format_secs(threaded.total),
        format_secs(asynchronous.total)
    );
    println!("    below synchronous: their waits overlap. Time with two or more tasks");
    println!(
        "    waiting at once: {} threaded, {} asynchronous.",
        format_secs(threaded.overlap(Activity::Waiting)),
        format_secs(asynchronous.overlap(Activity::Waiting))
    );
    println!(
        "  - Asynchronous: time with two tasks running at the same moment: {}.",
        format_secs(asynchronous.overlap(Activity::Running))
    );
    println!("    One thread does one thing at a time; only the waiting overlaps.");
    println!(
        "    Threaded: {} (threads run side by side, on several cores at once).",
        format_secs(threaded.overlap(Activity::Running))
    );
    println!("  - The asynchronous run is a little longer than the threaded one: a task");
    println!("    whose wait is over (·) must wait until the running task gives way.");
    println!("    The loop can switch tasks only when a task waits.");
}
