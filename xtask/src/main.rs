//! `cargo xtask`: the workspace's own commands.
//!
//! ```text
//! cargo xtask book                       check includes and figures, build the book into target/book
//! cargo xtask diff client-3 client-4     how one program's source differs from another's
//! cargo xtask diff A.rs:anchor B.rs:anchor  the same for two anchored regions of the parts' code
//! cargo xtask figures [--check]        redraw (or check) the book's generated figures
//! cargo xtask names                      every bin and example, and a check that names are unique
//! cargo xtask output [NAME…] [--check]   regenerate (or check) the book's console transcripts
//! cargo xtask ci                         fmt, clippy, names, tests, book: what CI runs
//! ```

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use xtask::diff::Region;
use xtask::programs::{Programs, duplicates};
use xtask::{book, ci, diff, figures, output, workspace_root};

/// The workspace's own commands: build the book, diff two programs, check
/// program names, regenerate the book's console transcripts, run what CI runs.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Check every include and figure of the book, then build it into target/book.
    Book,
    /// Show how one program's source differs from another's (e.g. `client-3 client-4`),
    /// or one anchored region from another (`part-06/src/callback.rs:get_poetry
    /// part-08/src/poetry.rs:get_poetry`).
    Diff {
        /// The program to diff from: a bin, an example, or a package's demo (`part-02`);
        /// or a region, PATH:ANCHOR, with PATH from the workspace root or from parts/.
        from: String,
        /// The program (or region) to diff to.
        to: String,
        /// When to colour the diff.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Redraw the book's generated figures in book/src/figures/ from the code.
    Figures {
        /// Compare with the committed figures instead of rewriting them.
        #[arg(long)]
        check: bool,
    },
    /// List every bin and example per package and check that no name is used twice.
    Names,
    /// Regenerate the console transcripts in book/src/output/ by running their programs.
    Output {
        /// Transcripts to process, by file name without `.txt` (default: all).
        names: Vec<String>,
        /// Compare with the stored transcripts instead of rewriting them.
        #[arg(long)]
        check: bool,
    },
    /// Run what CI runs: fmt, clippy, names, tests, book; stop at the first failure.
    Ci,
}

/// When to colour output.
#[derive(Clone, Copy, ValueEnum)]
enum Color {
    /// Only when stdout is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.task) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(task: Task) -> Result<()> {
    let root = workspace_root();
    match task {
        Task::Book => {
            let out = book::build(&root)?;
            println!("book written to {}", out.join("index.html").display());
            Ok(())
        }
        Task::Diff { from, to, color } => {
            let color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal(),
            };
            let text = if Region::is_region(&from) || Region::is_region(&to) {
                let old = Region::find(&root, &from)?;
                let new = Region::find(&root, &to)?;
                diff::regions(&root, &old, &new, color)?
            } else {
                let programs = Programs::load(&root)?;
                let old = programs.find(&from)?;
                let new = programs.find(&to)?;
                diff::programs(&root, old, new, color)?
            };
            if text.is_empty() {
                say(&format!(
                    "the sources of `{from}` and `{to}` are the same\n"
                ))
            } else {
                say(&text)
            }
        }
        Task::Figures { check } => figures::process(&root, check),
        Task::Names => {
            let programs = Programs::load(&root)?;
            say(&programs.table())?;
            let dups = duplicates(&programs.programs);
            if dups.is_empty() {
                return say(&format!(
                    "\n{} programs, every name unique\n",
                    programs.programs.len()
                ));
            }
            for dup in &dups {
                eprintln!("duplicate: {dup}");
            }
            let names: Vec<&str> = dups.iter().map(|d| d.name.as_str()).collect();
            bail!(
                "program names used more than once: {} (cargo builds them all into one target/ folder)",
                names.join(", ")
            )
        }
        Task::Output { names, check } => {
            let all = output::transcripts_in(&root.join(output::OUTPUT_DIR))?;
            let chosen = output::select(&all, &names)?;
            output::process_all(&root, &chosen, check)
        }
        Task::Ci => ci::run(&root),
    }
}

/// Writes to stdout; a reader that stopped reading (`| head`) is not an error.
fn say(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}
