//! The real `twistd` binary: detaching, the pid file, log rotation, a
//! graceful stop with downloads in flight, and bad command lines.
//!
//! Each test runs in a folder of its own. The test process makes itself a
//! "child subreaper", so a daemon, whose parents have exited, becomes its
//! child: the test can then wait for it and see how it exited.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use tempfile::TempDir;
use testkit::{Output, run_command};

const TWISTD: &str = env!("CARGO_BIN_EXE_twistd");

/// A folder for one test, and a poem in it.
struct Place {
    dir: TempDir,
}

impl Place {
    fn new(poem: &[u8]) -> Place {
        nix::sys::prctl::set_child_subreaper(true).expect("become a subreaper");
        let dir = tempfile::tempdir().expect("a temporary folder");
        fs::write(dir.path().join("poem.txt"), poem).expect("write the poem");
        Place { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `twistd ARGS` in this folder to completion.
    fn twistd(&self, args: &[&str]) -> Output {
        let mut command = Command::new(TWISTD);
        command.args(args).current_dir(self.dir.path());
        run_command(command)
    }

    /// Starts `plugin` as a daemon on a free port with this folder's poem,
    /// the runner's options `before` and the plugin's `after`; returns the
    /// daemon's pid and its port.
    fn start(&self, before: &[&str], plugin: &str, after: &[&str]) -> (i32, u16) {
        let poem = self.path("poem.txt");
        let mut args = before.to_vec();
        args.extend([plugin, "--port", "0", "--poem", poem.to_str().unwrap()]);
        args.extend(after);
        let started = self.twistd(&args);
        assert!(started.status.success(), "{}", started.stderr);
        (self.pid(), self.port())
    }

    /// [`start`](Place::start) for the slow poetry plugin, paced.
    fn start_slow(&self, before: &[&str], num_bytes: &str, delay: &str) -> (i32, u16) {
        self.start(
            before,
            "slowpoetry",
            &["--num-bytes", num_bytes, "--delay", delay],
        )
    }

    /// The pid in `twistd.pid`.
    fn pid(&self) -> i32 {
        let text = fs::read_to_string(self.path("twistd.pid")).expect("a pid file");
        text.trim().parse().expect("a pid")
    }

    fn log(&self) -> String {
        fs::read_to_string(self.path("twistd.log")).unwrap_or_default()
    }

    /// The port the service last logged it listens on.
    fn port(&self) -> u16 {
        let log = self.log();
        let line = log
            .lines()
            .rev()
            .find_map(|line| line.split("listening on port ").nth(1))
            .unwrap_or_else(|| panic!("no port in the log:\n{log}"));
        line.trim().parse().expect("a port number")
    }
}

/// Waits (10 s at most) for `pid`, a daemon adopted by this process, to
/// exit, and returns its exit code.
fn exit_code(pid: i32) -> i32 {
    let start = Instant::now();
    loop {
        match waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => return code,
            Ok(WaitStatus::StillAlive) if start.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
                panic!("the daemon {pid} did not exit as expected: {other:?}");
            }
        }
    }
}

/// Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session.
fn session_of(pid: i32) -> i32 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).expect("the daemon's stat");
    let after = stat.rsplit_once(')').expect("a command name").1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[3].parse().expect("a session id")
}

fn download(port: u16) -> Vec<u8> {
    let mut socket = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut poem = Vec::new();
    socket.read_to_end(&mut poem).expect("read the poem");
    poem
}

fn only_line(text: &str) -> &str {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got:\n{text}");
    lines[0]
}

const POEM: &[u8] = b"A poem for the daemon,\nshort, so the tests stay quick.\n";

#[test]
fn a_daemon_detaches_serves_refuses_a_second_start_and_cleans_up() {
    let place = Place::new(POEM);
    let poem = place.path("poem.txt");
    let args = [
        "fastpoetry",
        "--port",
        "0",
        "--poem",
        poem.to_str().unwrap(),
    ];
    let started = place.twistd(&args);
    assert!(started.status.success(), "{}", started.stderr);
    assert_eq!(started.stdout, "");
    assert_eq!(started.stderr, "");
    let pid = place.pid();
    assert!(
        kill(Pid::from_raw(pid), None).is_ok(),
        "the daemon is alive"
    );

    // Detached: its own session, which it does not lead; in /; no terminal.
    let session = session_of(pid);
    assert_ne!(session, session_of(std::process::id() as i32));
    assert_ne!(session, pid, "the daemon is not a session leader");
    assert_eq!(
        fs::read_link(format!("/proc/{pid}/cwd")).unwrap(),
        Path::new("/")
    );
    assert_eq!(
        fs::read_link(format!("/proc/{pid}/fd/0")).unwrap(),
        Path::new("/dev/null")
    );
    let log = fs::canonicalize(place.path("twistd.log")).unwrap();
    for fd in [1, 2] {
        assert_eq!(fs::read_link(format!("/proc/{pid}/fd/{fd}")).unwrap(), log);
    }

    assert_eq!(download(place.port()), POEM);

    // A second start over a live pid file: one line, and no harm done.
    let second = place.twistd(&args);
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(
        only_line(&second.stderr),
        format!(
            "error: another twistd (pid {pid}) is running with pid file {}",
            place.path("twistd.pid").display()
        )
    );
    assert_eq!(place.pid(), pid);

    kill(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    assert_eq!(exit_code(pid), 0);
    assert!(
        !place.path("twistd.pid").exists(),
        "the pid file is removed"
    );
    testkit::assert_in_order(
        &place.log(),
        &[
            "starting fastpoetry",
            "loaded a poem",
            "listening on port",
            "shutting down",
            "Server Shut Down.",
        ],
    );
}

#[test]
fn a_stale_pid_file_is_replaced() {
    let place = Place::new(POEM);
    // A process that has come and gone.
    let mut gone = Command::new("true").spawn().expect("run true");
    let dead = gone.id();
    gone.wait().unwrap();
    fs::write(place.path("twistd.pid"), format!("{dead}\n")).unwrap();
    let (pid, _port) = place.start(&[], "fastpoetry", &[]);
    assert_ne!(pid as u32, dead);
    assert!(place.log().contains(&format!(
        "replacing a stale pid file (process {dead} is gone)"
    )));
    kill(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    assert_eq!(exit_code(pid), 0);
}

#[test]
fn the_log_rotates_past_its_size() {
    let place = Place::new(POEM);
    let before = ["--log-max-bytes", "1500", "--log-keep", "2"];
    let (pid, port) = place.start(&before, "fastpoetry", &[]);
    // Two lines a download, about 80 bytes each: several files' worth.
    for _ in 0..40 {
        assert_eq!(download(port), POEM);
    }
    kill(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    assert_eq!(exit_code(pid), 0);
    assert!(place.path("twistd.log.1").exists(), "the log rotated");
    assert!(place.path("twistd.log.2").exists(), "twice");
    assert!(!place.path("twistd.log.3").exists(), "only two are kept");
    for name in ["twistd.log", "twistd.log.1", "twistd.log.2"] {
        let text = fs::read_to_string(place.path(name)).unwrap();
        assert!(text.len() <= 1500, "{name} has {} bytes", text.len());
        assert!(text.ends_with('\n'), "{name} ends with a whole line");
        assert!(
            text.lines().all(|line| line.starts_with("20")),
            "{name}: whole lines"
        );
    }
    assert!(place.log().contains("Server Shut Down."));
}

#[test]
fn sigterm_lets_a_hundred_slow_downloads_finish() {
    let poem: Vec<u8> = (0..300).map(|i| b"abcdefghij\n"[i % 11]).collect();
    let place = Place::new(&poem);
    let (pid, port) = place.start_slow(&[], "30", "0.02");
    let mut clients: Vec<(TcpStream, Vec<u8>)> = (0..100)
        .map(|_| {
            let mut socket = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            socket
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut first = vec![0; 30];
            let n = socket.read(&mut first).expect("the first chunk");
            first.truncate(n);
            (socket, first)
        })
        .collect();
    // Every download has begun, none can have ended: stop now.
    kill(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    for (socket, received) in &mut clients {
        socket.read_to_end(received).expect("the rest of the poem");
        assert_eq!(received, &poem, "a whole poem");
    }
    assert_eq!(exit_code(pid), 0);
    assert!(!place.path("twistd.pid").exists());
    let log = place.log();
    testkit::assert_in_order(
        &log,
        &[
            "shutting down",
            "closed",
            "waiting for 100 client(s)",
            "stopped tcp",
            "Server Shut Down.",
        ],
    );
    testkit::assert_count(&log, "sent 300 bytes of poetry", 100);
    // Once stopped, nobody is served.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn the_foreground_logs_to_standard_output_and_stops_on_sigint() {
    let place = Place::new(POEM);
    let poem = place.path("poem.txt");
    let mut running = testkit::Running::start(
        TWISTD,
        &[
            "--nodaemon",
            "--pidfile",
            place.path("fg.pid").to_str().unwrap(),
            "fastpoetry",
            "--port",
            "0",
            "--poem",
            poem.to_str().unwrap(),
        ],
    );
    let port = loop {
        let line = running.line();
        if let Some(port) = line.split("listening on port ").nth(1) {
            break port.parse::<u16>().unwrap();
        }
    };
    assert_eq!(download(port), POEM);
    let pid = running.child.id();
    assert_eq!(
        fs::read_to_string(place.path("fg.pid")).unwrap().trim(),
        pid.to_string()
    );
    kill(Pid::from_raw(pid as i32), Signal::SIGINT).unwrap();
    let mut rest = String::new();
    running.stdout.read_to_string(&mut rest).unwrap();
    assert!(running.child.wait().unwrap().success());
    testkit::assert_in_order(
        &rest,
        &[
            "shutting down",
            "stopping tcp",
            "stopped poem",
            "Server Shut Down.",
        ],
    );
    assert!(!place.path("fg.pid").exists());
}

#[test]
fn bad_command_lines_get_one_line() {
    let place = Place::new(POEM);
    for (args, says) in [
        (
            &["nosuchplugin"][..],
            "error: unrecognized subcommand 'nosuchplugin'",
        ),
        (
            &["fastpoetry", "--port", "many", "--poem", "poem.txt"],
            "error: invalid value 'many' for '--port <PORT>'",
        ),
        (
            &["fastpoetry", "--port", "0"],
            "error: the following required arguments were not provided",
        ),
        (
            &["--log-keep", "-3", "fastpoetry", "--poem", "poem.txt"],
            "error: unexpected argument '-3'",
        ),
        (
            &["fastpoetry", "--poem", "poem.txt", "--colour", "blue"],
            "error: unexpected argument '--colour'",
        ),
    ] {
        let run = place.twistd(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        let line = only_line(&run.stderr);
        assert!(line.starts_with(says), "{args:?}: {line}");
        assert!(!place.path("twistd.pid").exists());
    }
}

#[test]
fn failures_to_start_are_reported_by_the_command() {
    let place = Place::new(POEM);
    // The log file cannot be opened: said before detaching.
    let missing = place.path("no/such/folder/twistd.log");
    let run = place.twistd(&[
        "--logfile",
        missing.to_str().unwrap(),
        "fastpoetry",
        "--poem",
        "poem.txt",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(only_line(&run.stderr).starts_with(&format!(
        "error: cannot open log file {}: ",
        missing.display()
    )));
    assert!(!place.path("twistd.pid").exists());

    // The poem is missing: the daemon cannot start, and the command says why.
    let run = place.twistd(&["fastpoetry", "--port", "0", "--poem", "missing.txt"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        only_line(&run.stderr).starts_with("error: cannot read poem file missing.txt"),
        "{}",
        run.stderr
    );
    assert!(!place.path("twistd.pid").exists());

    // The port is taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = place.twistd(&[
        "fastpoetry",
        "--iface",
        "127.0.0.1",
        "--port",
        &port,
        "--poem",
        "poem.txt",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        only_line(&run.stderr).contains("Address already in use"),
        "{}",
        run.stderr
    );
    assert!(!place.path("twistd.pid").exists());
}

#[test]
fn help_lists_the_plugins() {
    let run = testkit::run_ok(TWISTD, &["--help"]);
    testkit::assert_in_order(
        &run.stdout,
        &[
            "Plugins:",
            "fastpoetry  A fast poetry service.",
            "slowpoetry",
        ],
    );
    let run = testkit::run_ok(TWISTD, &["fastpoetry", "--help"]);
    testkit::assert_contains_all(&run.stdout, &["--port", "--poem", "--iface"]);
    let _ = std::io::stdout().flush();
}

#[test]
fn a_stop_gives_up_on_work_that_outlasts_the_deadline() {
    let place = Place::new(POEM);
    let (pid, port) = place.start_slow(&["--shutdown-timeout", "0.2"], "5", "60");
    let mut socket = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut first = [0; 5];
    socket.read_exact(&mut first).unwrap();
    let asked = Instant::now();
    kill(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    assert_eq!(exit_code(pid), 0);
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "did not wait the minute"
    );
    testkit::assert_in_order(
        &place.log(),
        &[
            "waiting for 1 client(s)",
            "gave up on 1 client(s): [Failure TimedOut: timed out after 0.200s",
            "Server Shut Down.",
        ],
    );
    // The connection went with the process, cut short.
    let mut rest = Vec::new();
    let _ = socket.read_to_end(&mut rest);
    assert!(5 + rest.len() < POEM.len());
}

#[test]
fn the_daemon_switches_user_after_binding() {
    let place = Place::new(POEM);
    // An unknown user: the daemon cannot start, and the command says why.
    let poem = place.path("poem.txt");
    let args = [
        "--uid",
        "no-such-user",
        "fastpoetry",
        "--port",
        "0",
        "--poem",
        poem.to_str().unwrap(),
    ];
    let run = place.twistd(&args);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(only_line(&run.stderr), "error: no user called no-such-user");
    assert!(!place.path("twistd.pid").exists());

    let root = nix::unistd::Uid::effective().is_root();
    // Whoever else runs the tests may not switch: that is one clear line too.
    if !root {
        let run = place.twistd(&[
            "--uid",
            "0",
            "fastpoetry",
            "--port",
            "0",
            "--poem",
            poem.to_str().unwrap(),
        ]);
        assert_eq!(run.status.code(), Some(1));
        assert!(
            only_line(&run.stderr).starts_with("error: cannot switch to user 0"),
            "{}",
            run.stderr
        );
        return;
    }
    // Root: serve as 65534 (nobody), which must be able to remove the pid
    // file from this folder on the way out.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(place.dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let (pid, port) = place.start(&["--uid", "65534", "--gid", "65534"], "fastpoetry", &[]);
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let ids = |key: &str| {
        status
            .lines()
            .find(|line| line.starts_with(key))
            .map(|line| {
                line.split_whitespace()
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap()
    };
    assert_eq!(ids("Uid:"), "65534 65534 65534 65534");
    assert_eq!(ids("Gid:"), "65534 65534 65534 65534");
    assert_eq!(download(port), POEM, "it serves after the switch");
    kill(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    assert_eq!(exit_code(pid), 0);
    assert!(!place.path("twistd.pid").exists());
    assert!(
        place
            .log()
            .contains("now running as user 65534 group 65534")
    );
}
