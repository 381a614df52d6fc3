//! `fastpoetry-service` and `fastpoetry-service-tokio`: they serve, log,
//! and stop gracefully on a signal.

use std::io::Read;
use std::net::TcpStream;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use testkit::Running;

const SERVICE: &str = env!("CARGO_BIN_EXE_fastpoetry-service");
const TOKIO: &str = env!("CARGO_BIN_EXE_fastpoetry-service-tokio");

/// Reads the server's log until it says its port.
fn port_of(running: &mut Running) -> u16 {
    loop {
        let line = running.line();
        if let Some(port) = line.split("listening on port ").nth(1) {
            return port.parse().expect("a port");
        }
    }
}

fn rest_of(mut running: Running) -> (bool, String) {
    let mut rest = String::new();
    running.stdout.read_to_string(&mut rest).unwrap();
    let ok = running.child.wait().unwrap().success();
    (ok, rest)
}

#[test]
fn the_service_serves_logs_and_stops_its_tree_in_reverse() {
    let poem = testkit::workspace_root().join("poetry/science.txt");
    let mut running = Running::start(SERVICE, &["--port", "0", poem.to_str().unwrap()]);
    let port = port_of(&mut running);
    let mut got = Vec::new();
    TcpStream::connect(("127.0.0.1", port))
        .unwrap()
        .read_to_end(&mut got)
        .unwrap();
    assert_eq!(got, std::fs::read(&poem).unwrap());
    kill(Pid::from_raw(running.child.id() as i32), Signal::SIGTERM).unwrap();
    let (ok, rest) = rest_of(running);
    assert!(ok);
    testkit::assert_in_order(
        &rest,
        &[
            "wants poetry",
            "sent 661 bytes of poetry",
            "stopping tcp",
            "port",
            "closed",
            "stopped tcp",
            "stopping poem",
            "stopped poem",
            "Server Shut Down.",
        ],
    );
}

#[test]
fn the_tokio_service_lets_its_clients_finish() {
    let poem = testkit::workspace_root().join("poetry/science.txt");
    let mut running = Running::start(
        TOKIO,
        &[
            "--port",
            "0",
            "--num-bytes",
            "200",
            "--delay",
            "0.02",
            poem.to_str().unwrap(),
        ],
    );
    let port = port_of(&mut running);
    let mut clients: Vec<(TcpStream, Vec<u8>)> = (0..20)
        .map(|_| {
            let mut socket = TcpStream::connect(("127.0.0.1", port)).unwrap();
            socket
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut first = vec![0; 100];
            let n = socket.read(&mut first).unwrap();
            first.truncate(n);
            (socket, first)
        })
        .collect();
    kill(Pid::from_raw(running.child.id() as i32), Signal::SIGTERM).unwrap();
    let whole = std::fs::read(&poem).unwrap();
    for (socket, got) in &mut clients {
        socket.read_to_end(got).unwrap();
        assert_eq!(got, &whole);
    }
    let (ok, rest) = rest_of(running);
    assert!(ok);
    testkit::assert_in_order(
        &rest,
        &[
            "shutting down",
            "waiting for 20 client(s)",
            "Server Shut Down.",
        ],
    );
    testkit::assert_count(&rest, "sent 661 bytes of poetry", 20);
}

#[test]
fn a_missing_poem_is_one_line() {
    for program in [SERVICE, TOKIO] {
        let run = testkit::run(program, &["--port", "0", "no-such-poem.txt"]);
        assert_eq!(run.status.code(), Some(1));
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{program}: {}", run.stderr);
        assert!(
            lines[0].starts_with("error: cannot read poem file no-such-poem.txt"),
            "{}",
            lines[0]
        );
    }
}
