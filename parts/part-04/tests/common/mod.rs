//! Helpers for this part's integration tests: slow servers on free ports,
//! a closed port, and running a program under a time limit.

#![allow(dead_code)] // each test file uses what it needs

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use part_02::{Address, ServerOptions, SlowServer, poems};

/// The longest any program in these tests may run.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A bundled poem by file name.
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

/// Three slow servers with three different poems, each paced by `options`.
pub fn three_servers(options: ServerOptions) -> Vec<(SlowServer, &'static [u8])> {
    ["science.txt", "tyger.txt", "panther.txt"]
        .into_iter()
        .map(|name| {
            let poem = poem(name);
            (
                SlowServer::spawn(poem, options).expect("server starts"),
                poem,
            )
        })
        .collect()
}

/// The `(Address, SocketAddr)` pairs of servers, as `get_poetry` takes them.
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
pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// Runs `program` with `args` and no input, failing the test if it has not
/// exited within [`LIMIT`].
pub fn run(program: &str, args: &[&str]) -> Output {
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    // Drain the pipes on threads, so a chatty program cannot fill them and stall.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || std::io::read_to_string(&mut out).unwrap_or_default());
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
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        took: start.elapsed(),
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

/// The byte count of a chunk line `Task N: got B bytes of poetry from
/// ADDRESS`, checking the address.
pub fn chunk_bytes(rest: &str, address: &str) -> Option<usize> {
    let rest = rest.strip_prefix("got ")?;
    let (bytes, tail) = rest.split_once(' ')?;
    assert_eq!(tail, format!("bytes of poetry from {address}"));
    bytes.parse().ok()
}

/// Checks a closing line `Got N poems in 1.234s` and returns N.
pub fn poems_got(line: &str) -> usize {
    let rest = line
        .strip_prefix("Got ")
        .unwrap_or_else(|| panic!("not a closing line: {line:?}"));
    let (count, time) = rest
        .split_once(" poems in ")
        .unwrap_or_else(|| panic!("not a closing line: {line:?}"));
    let seconds = time.strip_suffix('s').expect("a time in seconds");
    let (whole, millis) = seconds.split_once('.').expect("seconds with decimals");
    assert!(
        whole.parse::<u64>().is_ok() && millis.len() == 3 && millis.parse::<u32>().is_ok(),
        "{line:?}"
    );
    count.parse().expect("a count of poems")
}
