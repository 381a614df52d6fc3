//! Hostile conditions for server programs: an output nobody reads (closed,
//! or full), and the checks that a server keeps serving through them.

use std::io::Read;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::programs::{connect, read_all};

/// What a test does with a server's standard output once it has read the
/// server's first line (and port from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neglect {
    /// Closes the pipe: every later write of the server fails (`EPIPE`).
    Close,
    /// Keeps the pipe open and never reads it again: it fills, and a write
    /// that waits for room waits for ever.
    LeaveUnread,
}

/// A server program whose output the test neglects; killed when dropped.
#[derive(Debug)]
pub struct NeglectedServer {
    child: Child,
    /// The pipe, while the test keeps it open (unread).
    _stdout: Option<ChildStdout>,
    /// The port the server said it listens on.
    pub port: u16,
}

impl NeglectedServer {
    /// Starts `program` with `args` (standard error inherited), reads its
    /// first line, which must say `… on port N…`, then neglects its output.
    pub fn start(program: &str, args: &[&str], neglect: Neglect) -> NeglectedServer {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
        let mut stdout = child.stdout.take().expect("piped stdout");
        // Byte by byte, so that nothing past the first line is taken from
        // the pipe (a buffered reader would read ahead).
        let mut line = Vec::new();
        let mut byte = [0];
        while stdout.read(&mut byte).expect("stdout is readable") == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        let port = line
            .split_once(" on port ")
            .map(|(_, rest)| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|digits| digits.parse().ok())
            .unwrap_or_else(|| panic!("{program}: unexpected first line: {line:?}"));
        let stdout = match neglect {
            Neglect::Close => None,
            Neglect::LeaveUnread => Some(stdout),
        };
        NeglectedServer {
            child,
            _stdout: stdout,
            port,
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for NeglectedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One poetry client: connect, read until the server closes.
pub fn fetch_poem(port: u16) -> Vec<u8> {
    read_all(&mut connect(port)).0
}

/// Checks that a server whose standard output is closed, then one whose
/// output is never read, still serves: `fetch(port)` gives `expected` to
/// 3 clients in the first case and to `clients` clients one after another
/// in the second (enough for their log lines to fill a pipe's 64 KiB many
/// times over), and the server is still running after them.
pub fn serves_when_nobody_reads(
    program: &str,
    args: &[&str],
    clients: usize,
    fetch: impl Fn(u16) -> Vec<u8>,
    expected: &[u8],
) {
    for (neglect, clients) in [(Neglect::Close, 3), (Neglect::LeaveUnread, clients)] {
        let mut server = NeglectedServer::start(program, args, neglect);
        for client in 0..clients {
            let got = fetch(server.port);
            assert!(
                got == expected,
                "{program} ({neglect:?} stdout): client {client} got {} bytes, not {}",
                got.len(),
                expected.len()
            );
        }
        assert!(
            server.is_running(),
            "{program} ({neglect:?} stdout) has exited"
        );
    }
}
