//! Both clients against slow servers started on free ports: their output
//! lines, the poems' exact bytes, the async client's interleaving, a refused
//! connection, and bad addresses.

use std::net::SocketAddr;
use std::time::Duration;

use part_02::async_client::{self, Event};
use part_02::cli::Timeouts;
use part_02::{FetchError, ServerOptions, SlowServer, blocking, poems};
use testkit::{
    args, closed_port, gets_poems_interleaved, helps, ports, refused_port, refuses_bad_addresses,
    run, servers, strip_time, survives_a_refused_port,
};

const BLOCKING: &str = env!("CARGO_BIN_EXE_blocking-client");
const ASYNC: &str = env!("CARGO_BIN_EXE_async-client");

#[test]
fn blocking_client_downloads_one_poem_after_another() {
    let servers = servers(3, 100, 10);
    let ports = ports(&servers);
    let out = run(BLOCKING, &args(&[], &ports));
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
    gets_poems_interleaved(ASYNC, &[]);
}

#[test]
fn blocking_client_survives_a_refused_connection() {
    // The blocking client prints no chunks: its own lines are checked above.
    refused_port(BLOCKING, &[], 3);
}

#[test]
fn async_client_survives_a_refused_connection() {
    survives_a_refused_port(ASYNC, &[], 3);
}

#[test]
fn clients_refuse_bad_addresses_with_one_clear_error() {
    for client in [BLOCKING, ASYNC] {
        refuses_bad_addresses(client, &[]);
        helps(client, &["PORT or HOST:PORT"]);
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
    let poem = blocking::get_poetry(server.addr(), &Timeouts::default(), |_| chunks += 1).unwrap();
    assert_eq!(poem, panther);
    assert!(chunks >= 1);

    let results = async_client::get_poetry(
        &[server.addr(), server.addr()],
        &Timeouts::default(),
        |_| {},
    )
    .unwrap();
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
    let results = async_client::get_poetry(&addrs, &Timeouts::default(), |event| {
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
