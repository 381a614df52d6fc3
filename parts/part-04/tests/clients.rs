//! `client-1` and `client-1-broken` against slow servers on free ports:
//! their lines, the poems' sizes, client 1.0's interleaving, the broken
//! client's one-poem-at-a-time output, refused connections, and bad input.

use std::collections::HashMap;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use part_02::SlowServer;
use part_02::testing::{
    LIMIT, chunk_bytes, closed_port, pacing, poems_got, run, servers, task_line,
};

const CLIENT: &str = env!("CARGO_BIN_EXE_client-1");
const BROKEN: &str = env!("CARGO_BIN_EXE_client-1-broken");

fn ports(servers: &[(SlowServer, &[u8])]) -> Vec<String> {
    servers
        .iter()
        .map(|(server, _)| server.addr().port().to_string())
        .collect()
}

fn strs(ports: &[String]) -> Vec<&str> {
    ports.iter().map(String::as_str).collect()
}

/// One line of a client's standard output, read back.
#[derive(Debug, PartialEq)]
enum Line {
    Chunk { task: usize, bytes: usize },
    Finished(usize),
    Size { task: usize, bytes: usize },
    Total(usize),
}

/// Reads a client's standard output, checking every line's form and the
/// addresses it names.
fn parse(stdout: &str, ports: &[String]) -> Vec<Line> {
    stdout
        .lines()
        .map(|line| {
            if line.starts_with("Got ") {
                return Line::Total(poems_got(line));
            }
            let (task, rest) = task_line(line).unwrap_or_else(|| panic!("odd line {line:?}"));
            let address = format!("127.0.0.1:{}", ports[task - 1]);
            if rest == "finished" {
                Line::Finished(task)
            } else if let Some(bytes) = chunk_bytes(rest, &address) {
                Line::Chunk { task, bytes }
            } else {
                let bytes = rest
                    .strip_suffix(" bytes of poetry")
                    .and_then(|b| b.parse().ok())
                    .unwrap_or_else(|| panic!("odd line {line:?}"));
                Line::Size { task, bytes }
            }
        })
        .collect()
}

/// Each task's number and poem size, in order.
fn sizes(servers: &[(SlowServer, &[u8])]) -> Vec<(usize, usize)> {
    (1..)
        .zip(servers.iter().map(|(_, poem)| poem.len()))
        .collect()
}

/// The summary every client ends with: each poem's size in order, then the total.
fn assert_summary(lines: &[Line], sizes: &[(usize, usize)]) {
    let n = sizes.len();
    let summary = &lines[lines.len() - n - 1..];
    for (line, &(task, bytes)) in summary.iter().zip(sizes) {
        assert_eq!(*line, Line::Size { task, bytes });
    }
    assert_eq!(summary[n], Line::Total(n));
}

#[test]
fn client_1_gets_every_poem_in_chunks_interleaved_across_servers() {
    let servers = servers(3, 40, 15);
    let ports = ports(&servers);
    let out = run(CLIENT, &strs(&ports));
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stderr, "");

    let lines = parse(&out.stdout, &ports);
    let mut received: HashMap<usize, usize> = HashMap::new();
    let mut chunks = Vec::new(); // the task of each chunk line, in order
    for (at, line) in lines.iter().enumerate() {
        if let Line::Chunk { task, bytes } = *line {
            assert!(
                !lines[..at].contains(&Line::Finished(task)),
                "a chunk after task {task} finished"
            );
            *received.entry(task).or_default() += bytes;
            chunks.push(task);
        }
    }
    for (i, (_, poem)) in servers.iter().enumerate() {
        let task = i + 1;
        assert_eq!(received[&task], poem.len(), "task {task}'s chunks");
        assert!(lines.contains(&Line::Finished(task)));
    }
    assert_summary(&lines, &sizes(&servers));

    // Interleaved: the other tasks' first chunks come before task 1's last.
    let last_of_first = chunks.iter().rposition(|&t| t == 1).unwrap();
    for other in [2, 3] {
        let first = chunks.iter().position(|&t| t == other).unwrap();
        assert!(first < last_of_first, "not interleaved: {chunks:?}");
    }
    // Many chunks, not a poem per read: the sockets did not block.
    assert!(chunks.len() >= 3 * 10, "{chunks:?}");
}

#[test]
fn client_1_broken_gets_each_poem_in_one_go_one_server_after_another() {
    let servers = servers(3, 40, 15);
    let ports = ports(&servers);
    let out = run(BROKEN, &strs(&ports));
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stderr, "");

    let lines = parse(&out.stdout, &ports);
    assert_eq!(lines.len(), 3 * 2 + 3 + 1, "{}", out.stdout);
    // Each poem arrives whole, in one do_read, and its task finishes right
    // after: no other server gets a word in.
    let mut seen = Vec::new();
    for pair in lines[..6].chunks(2) {
        let Line::Chunk { task, bytes } = pair[0] else {
            panic!("expected a chunk line, got {pair:?}");
        };
        assert_eq!(bytes, servers[task - 1].1.len(), "task {task} in one go");
        assert_eq!(pair[1], Line::Finished(task));
        seen.push(task);
    }
    seen.sort();
    assert_eq!(seen, [1, 2, 3]);
    assert_summary(&lines, &sizes(&servers));
}

/// A one-shot server: accepts one connection, waits `after`, sends the
/// whole poem at once and closes.
fn late_server(poem: &'static [u8], after: Duration) -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            std::thread::sleep(after);
            let _ = socket.write_all(poem);
        }
    });
    addr
}

#[test]
fn the_broken_client_is_stuck_in_the_first_ready_socket_until_its_poem_ends() {
    // Task 1 starts at once and is slow (10 bytes every 20 ms: about 1.3 s).
    // Tasks 2 and 3 send everything at 0.2 s. Client 1.0 finishes them long
    // before task 1; the broken client is inside task 1's do_read by then,
    // and stays there until task 1's poem is complete.
    let finish_order = |program| {
        let slow =
            SlowServer::spawn(part_02::testing::poem("science.txt"), pacing(10, 20)).unwrap();
        let late = Duration::from_millis(200);
        let ports = [
            slow.addr().port(),
            late_server(part_02::testing::poem("tyger.txt"), late).port(),
            late_server(part_02::testing::poem("panther.txt"), late).port(),
        ]
        .map(|port| port.to_string());
        let out = run(program, &strs(&ports));
        assert!(out.status.success(), "{}", out.stderr);
        parse(&out.stdout, &ports)
            .into_iter()
            .filter_map(|line| match line {
                Line::Finished(task) => Some(task),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let good = finish_order(CLIENT);
    assert_eq!(good.last(), Some(&1), "client 1.0: {good:?}");
    let broken = finish_order(BROKEN);
    assert_eq!(broken.first(), Some(&1), "broken client: {broken:?}");
}

/// A closed port among good ones: one failed line on stderr for it, the
/// others complete, and the exit is non-zero.
fn survives_a_refused_connection(client: &str) {
    let servers = servers(3, 200, 5);
    let closed = closed_port().to_string();
    let mut ports = ports(&servers);
    ports.insert(1, closed.clone());
    let out = run(client, &strs(&ports));

    assert!(!out.status.success());
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    let expected =
        format!("Task 2: failed to get poetry from 127.0.0.1:{closed}: cannot connect: ");
    assert!(errors[0].starts_with(&expected), "{}", errors[0]);
    assert_eq!(errors[1], "error: 1 of 4 downloads failed");
    let lines = parse(&out.stdout, &ports);
    assert_summary(
        &lines,
        &[
            (1, servers[0].1.len()),
            (3, servers[1].1.len()),
            (4, servers[2].1.len()),
        ],
    );
}

#[test]
fn client_1_survives_a_refused_connection() {
    survives_a_refused_connection(CLIENT);
}

#[test]
fn client_1_broken_survives_a_refused_connection() {
    survives_a_refused_connection(BROKEN);
}

#[test]
fn with_every_connection_refused_the_clients_end_at_once() {
    let closed = [closed_port().to_string(), closed_port().to_string()];
    for client in [CLIENT, BROKEN] {
        let out = run(client, &strs(&closed));
        assert!(!out.status.success());
        assert!(out.took < LIMIT / 3, "took {:?}", out.took);
        assert_eq!(poems_got(out.stdout.trim_end()), 0, "{}", out.stdout);
        let errors: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(errors.len(), 3, "{}", out.stderr);
        assert!(errors[0].starts_with("Task 1: failed to get poetry from "));
        assert!(errors[1].starts_with("Task 2: failed to get poetry from "));
        assert_eq!(errors[2], "error: 2 of 2 downloads failed");
    }
}

#[test]
fn both_clients_end_soon_after_the_last_poem() {
    // Each poem takes about 0.3 s; ending takes no more than a little over that.
    let servers = servers(3, 100, 40);
    let ports = ports(&servers);
    for client in [CLIENT, BROKEN] {
        let out = run(client, &strs(&ports));
        assert!(out.status.success(), "{}", out.stderr);
        assert!(
            out.took < Duration::from_secs(5),
            "{client} took {:?}",
            out.took
        );
    }
}

#[test]
fn bad_input_gets_one_clear_error_and_help_explains() {
    for client in [CLIENT, BROKEN] {
        for (bad, message) in [
            ("70000", "bad port \"70000\""),
            ("host:port", "bad port \"port\""),
            (":10000", "bad host"),
        ] {
            let out = run(client, &[bad]);
            assert!(!out.status.success());
            let first = out.stderr.lines().next().unwrap_or("");
            assert!(
                first.starts_with("error: ") && first.contains(message),
                "{bad}: {}",
                out.stderr
            );
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        }
        let out = run(client, &["no.such.host.invalid:10000"]);
        assert!(!out.status.success());
        assert!(
            out.stderr
                .starts_with("error: cannot resolve address no.such.host.invalid:10000"),
            "{}",
            out.stderr
        );

        let out = run(client, &[]);
        assert!(!out.status.success());
        assert!(out.stderr.contains("<ADDRESS>"), "{}", out.stderr);

        let help = run(client, &["--help"]);
        assert!(help.status.success());
        let name = client.rsplit('/').next().unwrap();
        assert!(
            help.stdout.contains(&format!("Usage: {name} <ADDRESS>..."))
                && help.stdout.contains("PORT or HOST:PORT"),
            "{}",
            help.stdout
        );
    }
}
