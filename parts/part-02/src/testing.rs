//! Helpers for the workspace's tests: slow servers on free ports, a port
//! where nothing listens, running a program under a time limit, and reading
//! the lines every poetry client prints. Every part's integration tests use
//! these, so each is written once.
//!
//! These helpers panic on anything unexpected: they are for tests, where a
//! panic is a failed test with a message.

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::{Address, ServerOptions, SlowServer, demo_poems, poems};

/// The longest any program may run in a test before the test fails.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A bundled poem by file name (`"science.txt"`…).
pub fn poem(name: &str) -> &'static [u8] {
    poems()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, poem)| poem)
        .unwrap_or_else(|| panic!("no poem {name}"))
}

/// Server pacing: `num_bytes` every `delay_ms` milliseconds.
pub fn pacing(num_bytes: usize, delay_ms: u64) -> ServerOptions {
    ServerOptions {
        num_bytes,
        delay: Duration::from_millis(delay_ms),
    }
}

/// `count` slow servers on free ports, each serving one of the short
/// bundled poems `num_bytes` every `delay_ms`, with the poem each serves.
pub fn servers(count: usize, num_bytes: usize, delay_ms: u64) -> Vec<(SlowServer, &'static [u8])> {
    let options = pacing(num_bytes, delay_ms);
    demo_poems(count)
        .into_iter()
        .map(|(_, poem)| {
            (
                SlowServer::spawn(poem, options).expect("a slow server starts"),
                poem,
            )
        })
        .collect()
}

/// The servers' ports, as command-line addresses.
pub fn ports(servers: &[(SlowServer, &[u8])]) -> Vec<String> {
    servers
        .iter()
        .map(|(server, _)| server.addr().port().to_string())
        .collect()
}

/// The servers' addresses, both as the clients print them and as sockets.
pub fn targets<'a>(
    servers: impl IntoIterator<Item = &'a SlowServer>,
) -> Vec<(Address, SocketAddr)> {
    servers
        .into_iter()
        .map(|server| (Address::from(server.addr()), server.addr()))
        .collect()
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind port 0");
    listener.local_addr().expect("a local address").port()
}

/// What a finished program printed, and how it ended.
#[derive(Debug)]
pub struct Output {
    /// How it exited.
    pub status: ExitStatus,
    /// Its standard output (lossily decoded).
    pub stdout: String,
    /// Its standard output, as bytes.
    pub stdout_bytes: Vec<u8>,
    /// Its standard error.
    pub stderr: String,
    /// How long it ran.
    pub took: Duration,
}

/// Runs `program` with `args` and no input to completion, failing the test
/// if it is still running after [`LIMIT`].
pub fn run(program: &str, args: &[&str]) -> Output {
    let mut command = Command::new(program);
    command.args(args);
    run_command(command)
}

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `cargo run -q -p PACKAGE --example NAME -- ARGS` from the workspace
/// root to completion (examples have no `CARGO_BIN_EXE_*`; cargo builds them
/// first if needed), under the same time limit as [`run`].
pub fn run_example(package: &str, name: &str, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "-q", "-p", package, "--example", name, "--"])
        .args(args)
        .current_dir(workspace_root());
    run_command(command)
}

/// Checks that each needle comes in `haystack`, in this order.
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("{needle:?} missing, or out of order, in:\n{haystack}"),
        }
    }
}

/// Runs `command` with no input to completion, failing the test if it is
/// still running after [`LIMIT`].
pub fn run_command(mut command: Command) -> Output {
    let start = Instant::now();
    let program = format!("{:?}", command.get_program());
    let args: Vec<_> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
    // Drain the pipes on threads, so a chatty program cannot fill them and stall.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || std::io::read_to_string(&mut err).unwrap_or_default());
    let status = loop {
        if let Some(status) = child.try_wait().expect("the program can be waited for") {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{program} {args:?} was still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout_bytes = out.join().expect("stdout reader");
    Output {
        status,
        stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
        stdout_bytes,
        stderr: err.join().expect("stderr reader"),
        took: start.elapsed(),
    }
}

/// A program left running (a server), read line by line; killed when dropped.
#[derive(Debug)]
pub struct Running {
    /// The process.
    pub child: Child,
    /// Its standard output.
    pub stdout: BufReader<ChildStdout>,
}

impl Running {
    /// Starts `program` with stdout piped (stderr goes to the test's).
    pub fn start(program: &str, args: &[&str]) -> Running {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        Running { child, stdout }
    }

    /// The next line of standard output, without its newline.
    pub fn line(&mut self) -> String {
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .expect("stdout is readable");
        assert!(n > 0, "the program closed its output");
        line.trim_end().to_string()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Splits `Task N…` into N and what follows the number (after `: ` or ` `).
pub fn task_line(line: &str) -> Option<(usize, &str)> {
    let rest = line.strip_prefix("Task ")?;
    let end = rest.find(|c: char| !c.is_ascii_digit())?;
    let task = rest[..end].parse().ok()?;
    let rest = &rest[end..];
    Some((task, rest.strip_prefix(": ").or(rest.strip_prefix(' '))?))
}

/// The byte count of a chunk line's rest, `got B bytes of poetry from
/// ADDRESS`, checking the address.
pub fn chunk_bytes(rest: &str, address: &str) -> Option<usize> {
    let rest = rest.strip_prefix("got ")?;
    let (bytes, tail) = rest.split_once(' ')?;
    assert_eq!(tail, format!("bytes of poetry from {address}"));
    bytes.parse().ok()
}

/// Checks that `line` ends ` in S.MMMs` and returns what comes before.
pub fn strip_time(line: &str) -> &str {
    let (head, time) = line
        .rsplit_once(" in ")
        .unwrap_or_else(|| panic!("no time in {line:?}"));
    let seconds = time
        .strip_suffix('s')
        .unwrap_or_else(|| panic!("no unit in {line:?}"));
    let (whole, millis) = seconds
        .split_once('.')
        .unwrap_or_else(|| panic!("no decimals in {line:?}"));
    assert!(
        whole.parse::<u64>().is_ok() && millis.len() == 3 && millis.parse::<u32>().is_ok(),
        "{line:?}"
    );
    head
}

/// `… in 1.234s` with the time replaced by `in T`, so two runs compare.
pub fn without_time(line: &str) -> String {
    match line.rsplit_once(" in ") {
        Some((head, time))
            if time.ends_with('s') && time[..time.len() - 1].parse::<f64>().is_ok() =>
        {
            format!("{head} in T")
        }
        _ => line.to_string(),
    }
}

/// A poetry client's standard output, sorted out: the bytes of each task's
/// chunks in order, the order in which tasks got chunks, and every other line
/// (with times taken out by [`without_time`]).
#[derive(Debug, Default, PartialEq)]
pub struct ClientOutput {
    /// Each task's chunk sizes, in the order they arrived.
    pub chunks: std::collections::BTreeMap<usize, Vec<usize>>,
    /// The task of every chunk line, in order: shows the interleaving.
    pub order: Vec<usize>,
    /// Every line that is not a chunk line.
    pub rest: Vec<String>,
}

impl ClientOutput {
    /// Sorts out `stdout`. `ports` are the servers' ports on 127.0.0.1, in
    /// task order: each chunk line must name its task's server.
    pub fn sort_out(stdout: &str, ports: &[String]) -> ClientOutput {
        let mut output = ClientOutput::default();
        for line in stdout.lines() {
            match task_line(line) {
                Some((task, rest)) if rest.starts_with("got ") => {
                    let address = format!("127.0.0.1:{}", ports[task - 1]);
                    let bytes = chunk_bytes(rest, &address).expect("a chunk line");
                    output.chunks.entry(task).or_default().push(bytes);
                    output.order.push(task);
                }
                _ => output.rest.push(without_time(line)),
            }
        }
        output
    }

    /// The bytes of one task's chunks, all together (0 if it got none).
    pub fn total(&self, task: usize) -> usize {
        self.chunks
            .get(&task)
            .map_or(0, |chunks| chunks.iter().sum())
    }
}

/// Checks a closing line `Got N poems in 1.234s` and returns N.
pub fn poems_got(line: &str) -> usize {
    let count = strip_time(line)
        .strip_prefix("Got ")
        .and_then(|rest| rest.strip_suffix(" poems"))
        .unwrap_or_else(|| panic!("not a closing line: {line:?}"));
    count.parse().expect("a count of poems")
}
