//! `cargo xtask ci`: everything CI checks, in order, stopping at the first
//! step that fails.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::programs::{Programs, duplicates};

/// One step of the run.
enum Step {
    /// Run cargo with these arguments.
    Cargo(Vec<&'static str>),
    /// Check that program names are unique.
    Names,
    /// Check and build the book.
    Book,
}

impl Step {
    fn title(&self) -> String {
        match self {
            Step::Cargo(args) => format!("cargo {}", args.join(" ")),
            Step::Names => "cargo xtask names (program names are unique)".into(),
            Step::Book => "cargo xtask book (includes, figures, mdBook)".into(),
        }
    }

    fn run(&self, root: &Path) -> Result<()> {
        match self {
            Step::Cargo(args) => {
                let status = cargo(args)
                    .current_dir(root)
                    .stdin(Stdio::null())
                    .status()?;
                if !status.success() {
                    bail!("exited with {status}");
                }
                Ok(())
            }
            Step::Names => {
                let programs = Programs::load(root)?;
                let dups = duplicates(&programs.programs);
                if !dups.is_empty() {
                    for dup in &dups {
                        eprintln!("{dup}");
                    }
                    bail!("{} program name(s) used more than once", dups.len());
                }
                println!("{} programs, every name unique", programs.programs.len());
                Ok(())
            }
            Step::Book => {
                let out = crate::book::build(root)?;
                println!("book written to {}", out.display());
                Ok(())
            }
        }
    }
}

fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(crate::cargo());
    command.args(args);
    command
}

/// Runs every step; prints a header before each and its time after it.
pub fn run(root: &Path) -> Result<()> {
    let mut steps = vec![
        Step::Cargo(vec!["fmt", "--all", "--check"]),
        Step::Cargo(vec![
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        Step::Names,
    ];
    // Plain `cargo test`, not nextest: it runs one test binary at a time, so
    // the transcript test may build programs while no other test runs them,
    // and the timing-sensitive wire tests do not compete with each other.
    steps.push(Step::Cargo(vec!["test", "--workspace"]));
    steps.push(Step::Book);

    let total = Instant::now();
    let count = steps.len();
    for (index, step) in steps.iter().enumerate() {
        let title = step.title();
        println!("\n==> [{}/{count}] {title}", index + 1);
        let started = Instant::now();
        let result = step.run(root);
        let took = seconds(started.elapsed());
        match result {
            Ok(()) => println!("==> ok: {title} ({took})"),
            Err(err) => bail!(
                "step {}/{count} failed: {title} ({took}): {err:#}",
                index + 1
            ),
        }
    }
    println!(
        "\n==> all {count} steps passed in {}",
        seconds(total.elapsed())
    );
    Ok(())
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}
