//! What this part's integration tests share: running a program with a time
//! limit, slow servers on free ports, and a port where nothing listens.

#![allow(dead_code)] // each test file uses its own subset

use std::net::TcpListener;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use part_02::{ServerOptions, SlowServer, demo_poems};

/// How long any program may run in a test before the test fails.
pub const LIMIT: Duration = Duration::from_secs(30);

/// What a finished program printed and how it exited.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
}

/// Runs `program` with `args` to completion, failing the test if it takes
/// longer than [`LIMIT`].
pub fn run(program: &str, args: &[&str]) -> Run {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("program starts");
    // Read the pipes on threads, so a program with a lot to say never
    // blocks on a full pipe while we wait for it.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut bytes).map(|_| bytes)
    });
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait works") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{program} {args:?} did not finish within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout_bytes = out.join().expect("reader").expect("stdout readable");
    let stderr = err.join().expect("reader").expect("stderr readable");
    Run {
        status,
        stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        stdout_bytes,
    }
}

/// `count` slow servers, each serving one of the demo poems in chunks of
/// `num_bytes` every `delay_ms`, with the poems they serve.
pub fn servers(count: usize, num_bytes: usize, delay_ms: u64) -> Vec<(SlowServer, &'static [u8])> {
    let options = ServerOptions {
        num_bytes,
        delay: Duration::from_millis(delay_ms),
    };
    demo_poems(count)
        .into_iter()
        .map(|(_, poem)| {
            (
                SlowServer::spawn(poem, options).expect("server starts"),
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

/// A port on 127.0.0.1 where nothing listens: bound, then released.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    listener.local_addr().expect("local address").port()
}

/// `… in 1.234s` with the time replaced by `in T`, so runs compare.
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
