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
    /// output up to the line that says `… on port N…`, then neglects the
    /// rest.
    pub fn start(program: &str, args: &[&str], neglect: Neglect) -> NeglectedServer {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
        let mut stdout = child.stdout.take().expect("piped stdout");
        // The first line that says `… on port N…` (a logging server may
        // say other things first). Byte by byte, so that nothing past that
        // line is taken from the pipe (a buffered reader would read ahead).
        let mut seen = Vec::new();
        let port = loop {
            let mut line = Vec::new();
            let mut byte = [0];
            while stdout.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
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
                .and_then(|digits| digits.parse::<u16>().ok());
            if let Some(port) = port {
                break port;
            }
            let ended = line.is_empty() && matches!(child.try_wait(), Ok(Some(_)));
            seen.push(line);
            if ended || seen.len() >= 20 {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{program}: no line says its port: {seen:?}");
            }
        };
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

/// A server that accepts connections and never sends a byte: a listening
/// socket nobody accepts from (the kernel completes the handshake on its
/// own). Keep it alive for as long as the test needs it.
pub fn silent_server() -> std::net::TcpListener {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0")
}

/// An address on loopback where a connection attempt never completes: a
/// listening socket whose accept queue (backlog 0) is full, so that the
/// kernel drops every new handshake. Keep it alive for as long as the
/// test needs it.
pub struct Unanswering {
    listener: socket2::Socket,
    _queued: Vec<std::net::TcpStream>,
    /// Its port.
    pub port: u16,
}

impl std::fmt::Debug for Unanswering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unanswering")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Unanswering {
    /// Opens it, and fills its queue until a connection attempt times out.
    pub fn new() -> Unanswering {
        use socket2::{Domain, Socket, Type};
        let listener = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a socket");
        let addr: std::net::SocketAddr = "127.0.0.1:0".parse().expect("an address");
        listener.bind(&addr.into()).expect("bind port 0");
        listener.listen(0).expect("listen");
        let addr = listener
            .local_addr()
            .expect("an address")
            .as_socket()
            .expect("an IP address");
        let mut queued = Vec::new();
        let limit = std::time::Duration::from_millis(200);
        while let Ok(socket) = std::net::TcpStream::connect_timeout(&addr, limit) {
            queued.push(socket);
            assert!(queued.len() < 64, "the accept queue does not fill up");
        }
        Unanswering {
            listener,
            _queued: queued,
            port: addr.port(),
        }
    }

    /// Whether the listening socket is still open (it is, until dropped).
    pub fn is_open(&self) -> bool {
        self.listener.local_addr().is_ok()
    }
}

impl Default for Unanswering {
    fn default() -> Self {
        Unanswering::new()
    }
}

/// Runs a poetry client (`before` ahead of the addresses, then
/// `--idle-timeout 1 --connect-timeout 1`) on a slow server, a server that
/// accepts and never sends, and an address that never answers a
/// connection, and checks that it gives up on the two as it does on a
/// refused port: in a few seconds, exit code 1, the poem of the first,
/// and a `Task N: failed to get poetry from …: … timed out …` line for
/// each of the other two. Returns what it printed.
pub fn gives_up_on_silent_servers(program: &str, before: &[&str]) -> crate::Output {
    let servers = crate::servers(1, 100, 10);
    let silent = silent_server();
    let unanswering = Unanswering::new();
    let ports = [
        servers[0].0.addr().port().to_string(),
        silent.local_addr().expect("an address").port().to_string(),
        unanswering.port.to_string(),
    ];
    let mut args: Vec<&str> = before.to_vec();
    args.extend(["--idle-timeout", "1", "--connect-timeout", "1"]);
    args.extend(ports.iter().map(String::as_str));
    let out = crate::run(program, &args);
    assert!(unanswering.is_open());
    assert_eq!(out.status.code(), Some(1), "{program}: {}", out.stderr);
    assert!(
        out.took < std::time::Duration::from_secs(8),
        "{program} took {:?}",
        out.took
    );
    for (task, port) in [(2, &ports[1]), (3, &ports[2])] {
        let failed = format!("Task {task}: failed to get poetry from 127.0.0.1:{port}: ");
        let line = out
            .stderr
            .lines()
            .find(|line| line.starts_with(&failed))
            .unwrap_or_else(|| panic!("{program}: no failure for task {task}: {}", out.stderr));
        assert!(line.contains("timed out"), "{program}: {line}");
    }
    assert!(
        out.stderr.ends_with("error: 2 of 3 downloads failed\n"),
        "{program}: {}",
        out.stderr
    );
    out
}

/// How many TCP sockets the process `pid` has open (Linux): its listening
/// ports and its connections. TCP only: a runtime may open descriptors of
/// its own just after a server has announced its port (tokio opens an
/// epoll instance, an eventfd, and a Unix socket pair for signals), and
/// those are not held for any client.
pub fn open_sockets(pid: u32) -> usize {
    // Every TCP socket of the process's network namespace, by inode.
    let mut tcp = std::collections::HashSet::new();
    for table in ["tcp", "tcp6"] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")) else {
            continue;
        };
        tcp.extend(
            text.lines()
                .skip(1)
                .filter_map(|row| row.split_whitespace().nth(9).map(str::to_owned)),
        );
    }
    // The process's descriptors that are one of those.
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("the process's descriptors")
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .filter(|target| {
            let target = target.to_string_lossy();
            target
                .strip_prefix("socket:[")
                .and_then(|rest| rest.strip_suffix(']'))
                .is_some_and(|inode| tcp.contains(inode))
        })
        .count()
}

/// Polls `check` every 20 ms until it holds, for at most `limit`; whether
/// it did.
pub fn eventually(limit: std::time::Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    loop {
        if check() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A poem file far larger than a connection's socket buffers (8 MiB of
/// text lines), in the system's temporary folder; deleted when dropped.
#[derive(Debug)]
pub struct BigPoem {
    /// Where it is.
    pub path: std::path::PathBuf,
    /// What it holds.
    pub bytes: Vec<u8>,
}

impl BigPoem {
    /// Writes it, under a name no other test uses.
    pub fn new(name: &str) -> BigPoem {
        let line = b"So much depends upon a red wheel barrow glazed with rain water\n";
        let bytes: Vec<u8> = line.iter().copied().cycle().take(8 << 20).collect();
        let path = std::env::temp_dir().join(format!("{name}-{}.txt", std::process::id()));
        std::fs::write(&path, &bytes).expect("the poem is written");
        BigPoem { path, bytes }
    }

    /// Its path, as an argument.
    pub fn arg(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

impl Drop for BigPoem {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Checks that a server (`program` with `args`, which should include
/// `--write-timeout 1` and make it send far more than the socket buffers
/// hold) lets go of a client that sends `request` and then never reads:
/// the connection is closed on the server's side (its descriptor is
/// released) within a few seconds, and the server goes on serving.
/// `fetch` is how a well-behaved client gets its answer afterwards, which
/// must be `expected`.
pub fn drops_a_client_that_never_reads(
    program: &str,
    args: &[&str],
    request: &[u8],
    fetch: impl Fn(u16) -> Vec<u8>,
    expected: &[u8],
) {
    use std::io::Write;
    use std::time::Duration;
    let mut server = NeglectedServer::start(program, args, Neglect::Close);
    let pid = server.child.id();
    let before = open_sockets(pid);
    let mut idle = connect(server.port);
    idle.write_all(request).expect("the request is sent");
    assert!(
        eventually(Duration::from_secs(10), || open_sockets(pid) > before),
        "{program}: the client was never accepted"
    );
    assert!(
        eventually(Duration::from_secs(20), || open_sockets(pid) <= before),
        "{program}: still holds the connection of a client that reads nothing"
    );
    let got = fetch(server.port);
    assert!(
        got == expected,
        "{program}: the next client got {} bytes",
        got.len()
    );
    assert!(server.is_running(), "{program} has exited");
    drop(idle);
}

/// Runs a one-server client (`before` ahead of the address, then
/// `--idle-timeout 1 --connect-timeout 1`) on a server that never sends,
/// then on an address that never answers, and checks that each run fails
/// within a few seconds. Returns both runs, for checks of what they said.
pub fn gives_up_alone(program: &str, before: &[&str]) -> Vec<crate::Output> {
    let silent = silent_server();
    let unanswering = Unanswering::new();
    let ports = [
        silent.local_addr().expect("an address").port().to_string(),
        unanswering.port.to_string(),
    ];
    ports
        .iter()
        .map(|port| {
            let mut args: Vec<&str> = before.to_vec();
            args.extend(["--idle-timeout", "1", "--connect-timeout", "1", port]);
            let out = crate::run(program, &args);
            assert!(!out.status.success(), "{program} {port}");
            assert!(
                out.took < std::time::Duration::from_secs(5),
                "{program} took {:?}",
                out.took
            );
            out
        })
        .collect()
}

/// Runs a client of a transformation server (client 6.0 and later: the
/// transformation server's address first, then the poetry servers') with a
/// silent transformation server, one poetry server that answers and one
/// address that never does, with `--idle-timeout 1 --connect-timeout 1`,
/// and checks that it gives up on the silent ones within a few seconds,
/// keeping the one poem it got (untransformed), and says why.
pub fn transform_client_gives_up_on_silent_servers(program: &str) {
    let servers = crate::servers(1, 100, 10);
    let silent = silent_server();
    let unanswering = Unanswering::new();
    let ports = [
        silent.local_addr().expect("an address").port().to_string(),
        servers[0].0.addr().port().to_string(),
        unanswering.port.to_string(),
    ];
    let mut args = vec!["--idle-timeout", "1", "--connect-timeout", "1"];
    args.extend(ports.iter().map(String::as_str));
    let out = crate::run(program, &args);
    assert!(
        out.took < std::time::Duration::from_secs(8),
        "{program} took {:?}",
        out.took
    );
    assert!(
        out.stdout.contains("Got 1 poems"),
        "{program}: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("timed out"),
        "{program}: {}",
        out.stderr
    );
}

/// Runs the client `program` with `args` with its standard output closed
/// from the start, as `client | head -0` would: it must not panic, and
/// must end by itself with the exit code of its downloads (success, when
/// `args` name servers that serve their poems). What it printed on
/// standard error is returned.
pub fn survives_a_closed_output(program: &str, args: &[&str]) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
    drop(child.stdout.take());
    let mut err = child.stderr.take().expect("piped stderr");
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the program can be waited for") {
            break status;
        }
        if start.elapsed() > crate::LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{program} {args:?} was still running after {:?}",
                crate::LIMIT
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let stderr = err.join().expect("stderr reader");
    assert!(!stderr.contains("panicked"), "{program}: {stderr}");
    assert!(status.success(), "{program}: {status}: {stderr}");
    stderr
}

#[cfg(test)]
mod tests {
    use super::open_sockets;

    #[test]
    fn open_sockets_counts_tcp_sockets_only() {
        let me = std::process::id();
        let before = open_sockets(me);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let client = std::net::TcpStream::connect(listener.local_addr().expect("an address"))
            .expect("a connection");
        let (served, _) = listener.accept().expect("the connection");
        let (left, right) = std::os::unix::net::UnixStream::pair().expect("a pair");
        let file = std::fs::File::open("/dev/null").expect("a file");
        assert_eq!(open_sockets(me), before + 3, "a port and two ends");
        drop((listener, client, served));
        assert_eq!(open_sockets(me), before);
        drop((left, right, file));
    }
}
