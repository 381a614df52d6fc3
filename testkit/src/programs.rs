//! Programs and poetry: slow servers on free ports, a port where nothing
//! listens, running a program under a time limit, reading the lines every
//! poetry client prints, and the checks every poetry client and server
//! program must pass (whole poems, a refused port, bad input, `--help`, a
//! paced poem on the wire).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use part_02::{Address, ServerOptions, SlowServer, demo_poems, poems};

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

/// A server on a free port of 127.0.0.1 for one connection: it accepts
/// it, waits `after`, sends `bytes` all at once and closes.
pub fn one_shot_server(bytes: &'static [u8], after: Duration) -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind port 0");
    let addr = listener.local_addr().expect("a local address");
    std::thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            std::thread::sleep(after);
            let _ = socket.write_all(bytes);
        }
    });
    addr
}

/// A port on 127.0.0.1 where nothing listens (see
/// [`part_02::demo::closed_port`]).
pub fn closed_port() -> u16 {
    part_02::demo::closed_port().expect("a free port").port()
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
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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

/// Runs `program` with `args` as [`run`] does and checks that it
/// succeeded, failing the test with its exit status and everything it
/// printed if not. Returns the run, for checks of what it printed.
pub fn run_ok(program: &str, args: &[&str]) -> Output {
    succeeded(&format!("{program} {args:?}"), run(program, args))
}

/// Runs an example as [`run_example`] does and checks that it succeeded,
/// failing the test with its exit status and everything it printed if not.
/// Returns the run, for checks of what it printed.
pub fn run_example_ok(package: &str, name: &str, args: &[&str]) -> Output {
    let what = format!("example {name} of {package} {args:?}");
    succeeded(&what, run_example(package, name, args))
}

/// Checks that a finished run (`what`, for the message) succeeded.
fn succeeded(what: &str, output: Output) -> Output {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        output.stdout,
        output.stderr
    );
    output
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
    pub chunks: BTreeMap<usize, Vec<usize>>,
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

    /// The tasks of the `Task N finished` lines, in the order they came.
    pub fn finished(&self) -> Vec<usize> {
        self.rest
            .iter()
            .filter_map(|line| match task_line(line) {
                Some((task, "finished")) => Some(task),
                _ => None,
            })
            .collect()
    }

    /// Checks that the downloads were interleaved: at least two tasks got
    /// chunks, and every task other than task 1 got its first chunk before
    /// task 1 got its last.
    pub fn assert_interleaved(&self) {
        assert!(self.chunks.len() >= 2, "one task alone: {:?}", self.order);
        let last_of_first = self
            .order
            .iter()
            .rposition(|&task| task == 1)
            .unwrap_or_else(|| panic!("task 1 got no chunk: {:?}", self.order));
        for &task in self.chunks.keys().filter(|&&task| task != 1) {
            let first = self.order.iter().position(|&t| t == task);
            let first = first.expect("a task with chunks is in the order");
            assert!(
                first < last_of_first,
                "not interleaved: task {task} began after task 1's last chunk: {:?}",
                self.order
            );
        }
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

/// The command line of a poetry client: `before` (its options), then the
/// servers' ports.
pub fn args<'a>(before: &[&'a str], ports: &'a [String]) -> Vec<&'a str> {
    before
        .iter()
        .copied()
        .chain(ports.iter().map(String::as_str))
        .collect()
}

/// Checks that every one of `needles` comes somewhere in `haystack`, in
/// any order.
pub fn assert_contains_all(haystack: &str, needles: &[&str]) {
    for needle in needles {
        assert!(haystack.contains(needle), "no {needle:?} in\n{haystack}");
    }
}

/// Checks that `needle` comes exactly `times` times in `haystack`.
pub fn assert_count(haystack: &str, needle: &str, times: usize) {
    assert_eq!(
        haystack.matches(needle).count(),
        times,
        "{needle:?} in\n{haystack}"
    );
}

/// Sorts out a poetry client's standard output (as
/// [`ClientOutput::sort_out`] does, which checks every chunk line's
/// address) and checks it against `poems`, the poem each task should get
/// in task order (`None` for a task that fails):
///
/// - a task that gets its poem gets chunks that add up to it, and one
///   `Task N finished` line, after its last chunk;
/// - a task that fails gets no chunk and no `finished` line;
/// - besides the chunks, the output is exactly the `finished` lines (in
///   any order), then `Task N: B bytes of poetry` for every poem that
///   arrived, in task order, then `Got K poems in S.MMMs` with K the number
///   of those poems.
///
/// Returns the output, sorted out, for more checks.
pub fn assert_poems(stdout: &str, ports: &[String], poems: &[Option<&[u8]>]) -> ClientOutput {
    assert_eq!(ports.len(), poems.len(), "a port for every poem");
    let output = ClientOutput::sort_out(stdout, ports);
    // Where each task's last chunk line and its `finished` line stand.
    let mut last_chunk = BTreeMap::new();
    let mut finished_at = BTreeMap::new();
    for (at, line) in stdout.lines().enumerate() {
        match task_line(line) {
            Some((task, rest)) if rest.starts_with("got ") => {
                last_chunk.insert(task, at);
            }
            Some((task, "finished")) => {
                let twice = finished_at.insert(task, at).is_some();
                assert!(!twice, "task {task} finished twice:\n{stdout}");
            }
            _ => {}
        }
    }
    let mut finished = Vec::new();
    let mut summary = Vec::new();
    for (task, poem) in (1..).zip(poems) {
        match poem {
            Some(poem) => {
                assert_eq!(
                    output.total(task),
                    poem.len(),
                    "task {task}'s chunks add up to its poem:\n{stdout}"
                );
                let (Some(last), Some(end)) = (last_chunk.get(&task), finished_at.get(&task))
                else {
                    panic!("task {task} has no chunk or no `finished` line:\n{stdout}");
                };
                assert!(last < end, "task {task} finished too early:\n{stdout}");
                finished.push(format!("Task {task} finished"));
                summary.push(format!("Task {task}: {} bytes of poetry", poem.len()));
            }
            None => {
                assert!(
                    !output.chunks.contains_key(&task) && !finished_at.contains_key(&task),
                    "task {task} should have got nothing:\n{stdout}"
                );
            }
        }
    }
    let got = finished.len();
    summary.push(format!("Got {got} poems in T"));
    assert_eq!(
        output.rest.len(),
        2 * got + 1,
        "lines besides the chunks: {:?}",
        output.rest
    );
    let mut said = output.rest[..got].to_vec();
    said.sort();
    finished.sort();
    assert_eq!(said, finished, "the `finished` lines");
    assert_eq!(output.rest[got..], summary[..], "the closing lines");
    let last = stdout.lines().last().unwrap_or_default();
    assert_eq!(poems_got(last), got);
    output
}

/// Runs a poetry client (`before` ahead of the addresses) on `servers` and
/// checks that it gets every poem: a zero exit, nothing on standard error,
/// and standard output as [`assert_poems`] checks it. Returns the run, and
/// its standard output sorted out.
pub fn gets_every_poem(
    program: &str,
    before: &[&str],
    servers: &[(SlowServer, &'static [u8])],
) -> (Output, ClientOutput) {
    let ports = ports(servers);
    let out = run(program, &args(before, &ports));
    assert!(out.status.success(), "{program}: {}", out.stderr);
    assert_eq!(out.stderr, "", "{program}");
    let poems: Vec<Option<&[u8]>> = servers.iter().map(|&(_, poem)| Some(poem)).collect();
    let output = assert_poems(&out.stdout, &ports, &poems);
    (out, output)
}

/// Runs a poetry client (`before` ahead of the addresses) on three slow
/// servers, 40 bytes every 15 ms, and checks that it gets every poem (see
/// [`gets_every_poem`]) with the downloads interleaved (see
/// [`ClientOutput::assert_interleaved`]). Returns its output, sorted out.
pub fn gets_poems_interleaved(program: &str, before: &[&str]) -> ClientOutput {
    let servers = servers(3, 40, 15);
    let (_, output) = gets_every_poem(program, before, &servers);
    output.assert_interleaved();
    output
}

/// A poetry client's run on slow servers with a closed port as task 2:
/// see [`refused_port`].
#[derive(Debug)]
pub struct RefusedRun {
    /// What the client printed, and how it ended.
    pub out: Output,
    /// The ports it was given, in task order, the closed one included.
    pub ports: Vec<String>,
    /// The poem each task should get, in task order: `None` for task 2.
    pub poems: Vec<Option<&'static [u8]>>,
}

/// Runs a poetry client (`before` ahead of the addresses) on `count` slow
/// servers with a port where nothing listens as task 2, and checks what
/// every client does then: it exits with code 1; its standard error is
/// exactly `Task 2: failed to get poetry from 127.0.0.1:PORT: cannot
/// connect: Connection refused (os error 111)` then `error: 1 of N
/// downloads failed`; its standard output names no address `from
/// 127.0.0.1:PORT` and ends `Got COUNT poems in S.MMMs`. Returns the run,
/// for checks of the client's own lines.
pub fn refused_port(program: &str, before: &[&str], count: usize) -> RefusedRun {
    let servers = servers(count, 100, 10);
    let closed = closed_port().to_string();
    let mut ports = ports(&servers);
    ports.insert(1, closed.clone());
    let mut poems: Vec<Option<&[u8]>> = servers.iter().map(|&(_, poem)| Some(poem)).collect();
    poems.insert(1, None);
    let out = run(program, &args(before, &ports));
    assert_eq!(out.status.code(), Some(1), "{program}: {}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "Task 2: failed to get poetry from 127.0.0.1:{closed}: cannot connect: \
             Connection refused (os error 111)\nerror: 1 of {} downloads failed\n",
            count + 1
        ),
        "{program}"
    );
    // `from 127.0.0.1:PORT`, and not the start of a longer port's number.
    let from_closed = format!("from 127.0.0.1:{closed}");
    let named = out.stdout.match_indices(&from_closed).any(|(at, _)| {
        let next = out.stdout[at + from_closed.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_digit())
    });
    assert!(!named, "{program}: {}", out.stdout);
    let last = out.stdout.lines().last().unwrap_or_default();
    assert_eq!(poems_got(last), count, "{program}");
    RefusedRun { out, ports, poems }
}

/// [`refused_port`] for a client that prints its chunks as they come:
/// checks its standard output too, as [`assert_poems`] does (task 2 gets
/// nothing, the others their poems). Returns it, sorted out.
pub fn survives_a_refused_port(program: &str, before: &[&str], count: usize) -> ClientOutput {
    let run = refused_port(program, before, count);
    assert_poems(&run.out.stdout, &run.ports, &run.poems)
}

/// Runs a poetry client (`before` ahead of the addresses) on two ports
/// where nothing listens, and checks that it ends at once (in under 5 s)
/// with code 1, its only line on standard output `Got 0 poems in S.MMMs`,
/// and on standard error exactly each task's `Task N: failed to get poetry
/// from 127.0.0.1:PORT: cannot connect: Connection refused (os error 111)`,
/// in task order, then `error: 2 of 2 downloads failed`.
pub fn ends_with_nothing_fetched(program: &str, before: &[&str]) {
    let ports = [closed_port().to_string(), closed_port().to_string()];
    let out = run(program, &args(before, &ports));
    assert_eq!(out.status.code(), Some(1), "{program}: {}", out.stderr);
    assert!(
        out.took < Duration::from_secs(5),
        "{program} took {:?}",
        out.took
    );
    assert_eq!(out.stdout.lines().count(), 1, "{program}: {}", out.stdout);
    assert_eq!(poems_got(out.stdout.trim_end()), 0, "{program}");
    let failed = |task: usize, port: &str| {
        format!(
            "Task {task}: failed to get poetry from 127.0.0.1:{port}: cannot connect: \
             Connection refused (os error 111)\n"
        )
    };
    assert_eq!(
        out.stderr,
        format!(
            "{}{}error: 2 of 2 downloads failed\n",
            failed(1, &ports[0]),
            failed(2, &ports[1])
        ),
        "{program}"
    );
}

/// Runs `program` on bad input and checks that it refuses it as every
/// program must: a non-zero exit, a first line on standard error that
/// starts `error: `, `message` somewhere on standard error, and no panic.
/// Returns the run, for more checks.
pub fn refuses(program: &str, args: &[&str], message: &str) -> Output {
    let out = run(program, args);
    assert!(!out.status.success(), "{program} {args:?} should fail");
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{args:?}: {}", out.stderr);
    assert!(
        out.stderr.contains(message),
        "{args:?}: expected {message:?} in {}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

/// Checks how a poetry client (`before` ahead of the address) answers a
/// bad address, as [`refuses`] checks bad input and more precisely:
///
/// - a malformed address (`70000`, `host:port`, `:10000`, `not-a-port`)
///   gets exit code 2, nothing on standard output, and a first line on
///   standard error that names what is wrong (`bad port "70000"`, …);
/// - a host that does not resolve gets exit code 1, nothing on standard
///   output, and one line, `error: cannot resolve address HOST:PORT…`;
/// - no address at all gets exit code 2 and a usage naming `<ADDRESS>`.
pub fn refuses_bad_addresses(program: &str, before: &[&str]) {
    for (bad, message) in [
        ("70000", "bad port \"70000\""),
        ("host:port", "bad port \"port\""),
        (":10000", "bad host"),
        ("not-a-port", "bad port \"not-a-port\""),
    ] {
        let out = refuses(program, &[before, &[bad]].concat(), message);
        assert_eq!(out.status.code(), Some(2), "{program} {bad}");
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(first.contains(message), "{program} {bad}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{program} {bad}");
    }

    let host = "no-such-host.invalid:10000";
    let out = run(program, &[before, &[host]].concat());
    assert_eq!(out.status.code(), Some(1), "{program} {host}");
    assert_eq!(out.stderr.lines().count(), 1, "{program}: {}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("error: cannot resolve address {host}")),
        "{program}: {}",
        out.stderr
    );
    assert_eq!(out.stdout, "", "{program} {host}");

    let out = refuses(program, before, "<ADDRESS>");
    assert_eq!(out.status.code(), Some(2), "{program} needs an address");
}

/// Checks that `program --help` succeeds and that its text contains every
/// one of `expected`.
pub fn helps(program: &str, expected: &[&str]) {
    let out = run(program, &["--help"]);
    assert!(out.status.success(), "{program} --help: {}", out.stderr);
    for wanted in expected {
        assert!(
            out.stdout.contains(wanted),
            "{program} --help lacks {wanted}:\n{}",
            out.stdout
        );
    }
}

/// Checks that `--help` of a slow poetry server (`slowpoetry`, and the
/// later servers that take its options) names the series' options and
/// their defaults: `--port`, `--iface` (localhost), `--delay` (0.7),
/// `--num-bytes` (10) and the poem file.
pub fn slow_server_helps(program: &str) {
    helps(
        program,
        &[
            "--port",
            "--iface",
            "[default: localhost]",
            "--delay",
            "[default: 0.7]",
            "--num-bytes",
            "[default: 10]",
            "<POETRY_FILE>",
        ],
    );
}

/// Checks that a slow poetry server (`slowpoetry`, and the later servers
/// that take its options) refuses bad input as [`refuses`] checks it: a
/// missing poem file (`cannot read poem file PATH`), a port in use
/// (`cannot listen on 127.0.0.1:PORT: Address already in use`), bad
/// values of `--port`, `--num-bytes` and `--delay` (each naming its
/// option), and no poem file at all (`POETRY_FILE`).
pub fn slow_server_refuses_bad_input(program: &str) {
    refuses(
        program,
        &["no/such/poem.txt"],
        "cannot read poem file no/such/poem.txt",
    );

    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind port 0");
    let port = taken
        .local_addr()
        .expect("a local address")
        .port()
        .to_string();
    let path = poem_path("science.txt");
    refuses(
        program,
        &["--iface", "127.0.0.1", "--port", &port, &path],
        &format!("cannot listen on 127.0.0.1:{port}: Address already in use"),
    );

    for (bad, option) in [
        (&["--port", "70000"][..], "--port"),
        (&["--port", "ten"], "--port"),
        (&["--num-bytes", "0"], "--num-bytes"),
        (&["--delay=-1"], "--delay"),
        (&["--delay", "soon"], "--delay"),
    ] {
        refuses(program, &[bad, &[path.as_str()]].concat(), option);
    }
    refuses(program, &[], "POETRY_FILE");
}

/// A bundled poem's path (in the workspace's `poetry/` folder), as an
/// argument for a server program.
pub fn poem_path(name: &str) -> String {
    workspace_root()
        .join("poetry")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Starts a poetry server program and reads its port from its first line,
/// `Serving FILE on port N.`
pub fn start_server(program: &str, args: &[&str]) -> (Running, u16) {
    let mut server = Running::start(program, args);
    let first = server.line();
    let port = first
        .strip_prefix("Serving ")
        .and_then(|rest| rest.rsplit_once(" on port "))
        .and_then(|(_, port)| port.strip_suffix('.'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    (server, port)
}

/// Connects to a server on 127.0.0.1, with a read time limit so that a
/// broken server fails the test instead of hanging it.
pub fn connect(port: u16) -> TcpStream {
    let socket = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read time limit");
    socket
}

/// Reads until the server closes, noting each read's time and size.
pub fn read_all(socket: &mut TcpStream) -> (Vec<u8>, Vec<(Instant, usize)>) {
    let mut poem = Vec::new();
    let mut reads = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let n = socket.read(&mut buffer).expect("read");
        if n == 0 {
            return (poem, reads);
        }
        reads.push((Instant::now(), n));
        poem.extend_from_slice(&buffer[..n]);
    }
}

/// Reads a poem from a slow server on 127.0.0.1:`port` (see [`connect`])
/// and checks it on the wire: `expected`, byte for byte; one read per
/// chunk, as many reads as chunks of `pacing.num_bytes`, none longer;
/// chunks no closer than 0.7 × `pacing.delay`; the whole taking at least
/// the delays between them. Returns the socket (its address names the
/// client in the server's lines) and the number of chunks.
pub fn read_paced(port: u16, expected: &[u8], pacing: ServerOptions) -> (TcpStream, usize) {
    let started = Instant::now();
    let mut socket = connect(port);
    let (poem, reads) = read_all(&mut socket);
    assert_eq!(poem, expected, "the poem's exact bytes, non-ASCII included");
    let chunks = expected.len().div_ceil(pacing.num_bytes);
    assert_eq!(reads.len(), chunks, "one read per chunk: {reads:?}");
    assert!(
        reads.iter().all(|&(_, n)| n <= pacing.num_bytes),
        "{reads:?}"
    );
    // Consecutive chunks are about `delay` apart, never much closer.
    for pair in reads.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(
            gap >= pacing.delay.mul_f64(0.7),
            "chunks only {gap:?} apart"
        );
    }
    assert!(started.elapsed() >= pacing.delay * (chunks as u32 - 1));
    (socket, chunks)
}
