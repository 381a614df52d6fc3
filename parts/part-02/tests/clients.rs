//! Both clients against slow servers started on free ports: their output
//! lines, the poems' exact bytes, the async client's interleaving, a refused
//! connection, and bad addresses.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use part_02::async_client::{self, Event};
use part_02::testing::{closed_port, ports, run, servers, strip_time, task_line};
use part_02::{FetchError, ServerOptions, SlowServer, blocking, poems};

const BLOCKING: &str = env!("CARGO_BIN_EXE_blocking-client");
const ASYNC: &str = env!("CARGO_BIN_EXE_async-client");

fn args(ports: &[String]) -> Vec<&str> {
    ports.iter().map(String::as_str).collect()
}

#[test]
fn blocking_client_downloads_one_poem_after_another() {
    let servers = servers(3, 100, 10);
    let ports = ports(&servers);
    let out = run(BLOCKING, &args(&ports));
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stderr, "");

    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2 * servers.len() + 1, "{}", out.stdout);
    for (i, ((_, poem), port)) in servers.iter().zip(&ports).enumerate() {
        let task = i + 1;
        assert_eq!(
            lines[2 * i],
            format!("Task {task}: get poetry from: 127.0.0.1:{port}")
        );
        assert_eq!(
            strip_time(lines[2 * i + 1]),
            format!(
                "Task {task}: got {} bytes of poetry from 127.0.0.1:{port}",
                poem.len()
            )
        );
    }
    assert_eq!(strip_time(lines[lines.len() - 1]), "Got 3 poems");
}

#[test]
fn async_client_prints_chunks_as_they_arrive_interleaved_across_servers() {
    let servers = servers(3, 40, 15);
    let ports = ports(&servers);
    let out = run(ASYNC, &args(&ports));
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stderr, "");

    let lines: Vec<&str> = out.stdout.lines().collect();
    let mut received: HashMap<usize, usize> = HashMap::new();
    let mut order = Vec::new(); // which task each chunk line belongs to
    let mut finished = Vec::new();
    let mut totals = Vec::new();
    for line in &lines[..lines.len() - 1] {
        let (task, rest) = task_line(line).unwrap_or_else(|| panic!("unexpected line {line:?}"));
        let port = &ports[task - 1];
        if let Some(bytes) = rest.strip_prefix("got ") {
            let (bytes, from) = bytes.split_once(' ').unwrap();
            assert_eq!(from, format!("bytes of poetry from 127.0.0.1:{port}"));
            *received.entry(task).or_default() += bytes.parse::<usize>().unwrap();
            order.push(task);
        } else if rest == "finished" {
            finished.push(task);
        } else {
            totals.push((task, rest.to_string()));
        }
    }
    for (i, (_, poem)) in servers.iter().enumerate() {
        let task = i + 1;
        assert_eq!(
            received[&task],
            poem.len(),
            "task {task}'s chunks add up to its poem"
        );
        assert!(finished.contains(&task));
        assert!(totals.contains(&(task, format!("{} bytes of poetry", poem.len()))));
    }
    // Interleaved: before task 1's last chunk, the other tasks already had some.
    let last_of_first = order.iter().rposition(|&t| t == 1).unwrap();
    for other in [2, 3] {
        let first_of_other = order.iter().position(|&t| t == other).unwrap();
        assert!(
            first_of_other < last_of_first,
            "chunks not interleaved: {order:?}"
        );
    }
    assert_eq!(strip_time(lines[lines.len() - 1]), "Got 3 poems");
}

/// Runs a client with a closed port among good ones: the refusal gets one
/// clear line naming the address, the rest complete, and the exit is non-zero.
fn client_survives_a_refused_connection(client: &str) {
    let servers = servers(3, 200, 5);
    let closed = closed_port().to_string();
    let mut ports = ports(&servers);
    ports.insert(1, closed.clone());
    let out = run(client, &args(&ports));

    assert!(!out.status.success());
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(
        errors[0].starts_with(&format!(
            "Task 2: failed to get poetry from 127.0.0.1:{closed}: cannot connect: "
        )),
        "{}",
        errors[0]
    );
    assert_eq!(errors[1], "error: 1 of 4 downloads failed");
    let last = out.stdout.lines().last().unwrap();
    assert_eq!(strip_time(last), "Got 3 poems");
    assert!(!out.stdout.contains(&format!("from 127.0.0.1:{closed}")));
}

#[test]
fn blocking_client_survives_a_refused_connection() {
    client_survives_a_refused_connection(BLOCKING);
}

#[test]
fn async_client_survives_a_refused_connection() {
    client_survives_a_refused_connection(ASYNC);
}

#[test]
fn clients_refuse_bad_addresses_with_one_clear_error() {
    for client in [BLOCKING, ASYNC] {
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
            assert!(!out.stderr.contains("panicked"));
        }
        let out = run(client, &[]);
        assert!(!out.status.success());
        assert!(out.stderr.contains("<ADDRESS>"), "{}", out.stderr);

        let help = run(client, &["--help"]);
        assert!(
            help.status.success() && help.stdout.contains("PORT or HOST:PORT"),
            "{}",
            help.stdout
        );
    }
}

/// A poem whose chunks split multi-byte characters still arrives exactly.
#[test]
fn both_clients_reassemble_non_ascii_poems_exactly() {
    let (_, panther) = poems()
        .into_iter()
        .find(|(name, _)| *name == "panther.txt")
        .unwrap();
    let options = ServerOptions {
        num_bytes: 7,
        delay: Duration::ZERO,
    };
    let server = SlowServer::spawn(panther, options).unwrap();
    let mut chunks = 0;
    let poem = blocking::get_poetry(server.addr(), |_| chunks += 1).unwrap();
    assert_eq!(poem, panther);
    assert!(chunks >= 1);

    let results = async_client::get_poetry(&[server.addr(), server.addr()], |_| {}).unwrap();
    for result in results {
        assert_eq!(result.unwrap(), panther);
    }
    assert_eq!(server.poems_served(), 3);
}

#[test]
fn async_loop_reports_every_event_in_order() {
    let servers = servers(3, 300, 5);
    let mut addrs: Vec<SocketAddr> = servers.iter().map(|(s, _)| s.addr()).collect();
    addrs.push(SocketAddr::from(([127, 0, 0, 1], closed_port())));
    let mut events = Vec::new();
    let results = async_client::get_poetry(&addrs, |event| {
        events.push(match event {
            Event::Received { task, bytes } => format!("{task} +{bytes}"),
            Event::Finished { task } => format!("{task} done"),
            Event::Failed { task, error } => format!("{task} failed: {error}"),
        })
    })
    .unwrap();

    assert!(
        matches!(results[3], Err(FetchError::Connect(_))),
        "{:?}",
        results[3]
    );
    for (task, (_, poem)) in servers.iter().enumerate() {
        assert_eq!(results[task].as_ref().unwrap(), poem);
        let mine: Vec<&String> = events
            .iter()
            .filter(|e| e.starts_with(&format!("{} ", task + 1)))
            .collect();
        assert_eq!(
            mine.last().unwrap().as_str(),
            format!("{} done", task + 1),
            "{events:?}"
        );
        assert!(
            mine[..mine.len() - 1].iter().all(|e| e.contains('+')),
            "{events:?}"
        );
    }
    assert_eq!(events.iter().filter(|e| e.starts_with("4 ")).count(), 1);
}
