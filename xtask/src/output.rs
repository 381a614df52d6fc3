//! `cargo xtask output`: run the programs behind the book's console
//! transcripts, and either rewrite the transcripts or check them.
//!
//! The programs are built once with `cargo build --workspace --bins
//! --examples`, then each transcript's program is run straight from
//! `target/debug/` (so cargo's own messages stay out of the output) with the
//! workspace root as its current directory, no standard input, `NO_COLOR=1`,
//! and its stdout and stderr written into one pipe, so that the transcript
//! shows them in the order the program wrote them.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::programs::{Kind, Programs};
use crate::transcript::{ELLIPSIS, Invocation, Target, Transcript, compare};

/// How long one program may run before it is killed and counted as a failure.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The folder of transcripts, relative to the workspace root.
pub const OUTPUT_DIR: &str = "book/src/output";

/// Every transcript file (`*.txt`) in `dir`, sorted. A missing folder has none.
pub fn transcripts_in(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "txt") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Picks the transcripts called `names` (file stems, with or without `.txt`)
/// from `all`; no names means all of them.
pub fn select(all: &[PathBuf], names: &[String]) -> Result<Vec<PathBuf>> {
    if names.is_empty() {
        return Ok(all.to_vec());
    }
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut chosen = Vec::new();
    for name in names {
        let name = name.strip_suffix(".txt").unwrap_or(name);
        match all.iter().find(|p| stem(p) == name) {
            Some(path) => chosen.push(path.clone()),
            None => {
                let stems: Vec<String> = all.iter().map(|p| stem(p)).collect();
                let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
                let close = crate::programs::close_names(name, &stems);
                if close.is_empty() {
                    bail!("no transcript `{name}` in {OUTPUT_DIR}");
                }
                bail!(
                    "no transcript `{name}` in {OUTPUT_DIR}; did you mean {}?",
                    close.join(", ")
                );
            }
        }
    }
    Ok(chosen)
}

/// Builds every bin and example of the workspace, quietly.
pub fn build_programs(root: &Path) -> Result<()> {
    let status = Command::new(crate::cargo())
        .args(["build", "--quiet", "--workspace", "--bins", "--examples"])
        .current_dir(root)
        .stdin(Stdio::null())
        .status()
        .context("cannot run `cargo build`")?;
    if !status.success() {
        bail!("`cargo build --workspace --bins --examples` failed ({status})");
    }
    Ok(())
}

/// Runs what `invocation` names and returns its merged stdout and stderr.
/// The program must already be built (see [`build_programs`]).
pub fn run(programs: &Programs, invocation: &Invocation, timeout: Duration) -> Result<String> {
    if !programs.packages.contains_key(&invocation.package) {
        bail!(
            "there is no package `{}` in the workspace",
            invocation.package
        );
    }
    let (name, kind) = match &invocation.target {
        Target::Default => (invocation.package.as_str(), Kind::Bin),
        Target::Bin(name) => (name.as_str(), Kind::Bin),
        Target::Example(name) => (name.as_str(), Kind::Example),
    };
    let program = programs
        .programs
        .iter()
        .find(|p| p.package == invocation.package && p.name == name && p.kind == kind)
        .with_context(|| format!("package `{}` has no {kind} `{name}`", invocation.package))?;
    let executable = programs.executable(program);
    if !executable.is_file() {
        bail!(
            "{} is not built (run `cargo build --workspace --bins --examples`)",
            executable.display()
        );
    }

    let mut command = Command::new(&executable);
    command
        .args(&invocation.args)
        .current_dir(&programs.workspace_root)
        .env("NO_COLOR", "1");
    run_merged(command, timeout)
}

/// Runs `command` with no standard input and its stdout and stderr written
/// into one pipe, so that the text comes back in the order it was written;
/// kills it, and fails, if it has not finished after `timeout`. Its exit
/// status does not matter: a transcript may well show a program failing.
pub fn run_merged(mut command: Command, timeout: Duration) -> Result<String> {
    let (mut reader, writer) = std::io::pipe().context("cannot create a pipe")?;
    let writer_for_stderr = writer.try_clone().context("cannot clone the pipe")?;
    command
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(writer_for_stderr);
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    // The `Command` still holds the pipe's writing ends: drop it, or the
    // reader would never see the end of the output.
    drop(command);

    let (done, output) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let result = reader.read_to_end(&mut bytes).map(|_| bytes);
        let _ = done.send(result);
    });

    let started = Instant::now();
    while child
        .try_wait()
        .context("cannot wait for the program")?
        .is_none()
    {
        if started.elapsed() >= timeout {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "{program} did not finish within {:.1} s and was killed",
                timeout.as_secs_f64()
            );
        }
        thread::sleep(Duration::from_millis(20));
    }
    // The program has exited; whatever it left in the pipe arrives now. A
    // process it started and left behind could keep the pipe open, so wait
    // only a little for the end of the output.
    let bytes = match output.recv_timeout(Duration::from_secs(5)) {
        Ok(result) => result.context("cannot read the program's output")?,
        Err(_) => bail!("{program} exited, but a process it started still holds its output open"),
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What happened to one transcript.
#[derive(Debug)]
pub enum Outcome {
    /// With `--check`: the output matches.
    Matches,
    /// Without `--check`: the file was written (`true` if its text changed).
    Written(bool),
    /// Without `--check`: the stored transcript has `...` lines and still
    /// matches, so it was left as it is rather than losing them.
    Kept,
}

/// Runs the program of the transcript at `path`; with `check`, compares its
/// output with the stored one, otherwise rewrites the file with the fresh
/// output — unless the stored transcript uses `...` lines and still matches,
/// in which case it is kept, so that those hand-made lines are not lost.
pub fn process(
    programs: &Programs,
    path: &Path,
    check: bool,
    timeout: Duration,
) -> Result<Outcome> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let transcript = Transcript::parse(&text)
        .with_context(|| format!("{}:1: cannot read the command", path.display()))?;
    let output = run(programs, &transcript.invocation, timeout)
        .with_context(|| format!("{}: running `{}`", path.display(), transcript.invocation))?;
    if check {
        compare(&transcript.body, &output)
            .map_err(|mismatch| anyhow::anyhow!("{}: {mismatch}", path.display()))?;
        Ok(Outcome::Matches)
    } else {
        let has_ellipsis = transcript.body.lines().any(|l| l.trim_end() == ELLIPSIS);
        if has_ellipsis && compare(&transcript.body, &output).is_ok() {
            return Ok(Outcome::Kept);
        }
        let fresh = Transcript::render(&transcript.invocation, &output);
        let changed = fresh != text;
        if changed {
            fs::write(path, fresh).with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(Outcome::Written(changed))
    }
}

/// Builds the programs, then processes every transcript in `files`, going on
/// after a failure; fails at the end if any failed, with every failure's
/// message. Progress goes to stderr; one line per transcript to stdout.
pub fn process_all(root: &Path, files: &[PathBuf], check: bool) -> Result<()> {
    if files.is_empty() {
        println!("no transcripts in {OUTPUT_DIR}");
        return Ok(());
    }
    build_programs(root)?;
    let programs = Programs::load(root)?;
    let mut failures = Vec::new();
    for path in files {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        match process(&programs, path, check, TIMEOUT) {
            Ok(Outcome::Matches) => println!("ok       {shown}"),
            Ok(Outcome::Written(true)) => println!("updated  {shown}"),
            Ok(Outcome::Written(false)) => println!("same     {shown}"),
            Ok(Outcome::Kept) => {
                println!("kept     {shown} (still matches; keeps its `...` lines)")
            }
            Err(err) => {
                println!("FAILED   {shown}");
                failures.push(format!("{err:#}"));
            }
        }
    }
    if failures.is_empty() {
        return Ok(());
    }
    for failure in &failures {
        eprintln!("{failure}\n");
    }
    bail!("{} of {} transcripts failed", failures.len(), files.len())
}
