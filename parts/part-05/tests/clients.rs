//! Client 2.0 and its variants against slow servers on free ports: whole
//! and correct poems, chunks interleaved across servers, a refused port,
//! an end within a time limit; the tokio client printing what client 2.0
//! prints; `--help` and bad addresses for every program; the demo.

use std::net::SocketAddr;

use part_02::FetchError;
use part_03::{BackendKind, Clock, Reactor};
use part_05::{client, tokio_client};
use testkit::{
    ClientOutput, args, assert_contains_all, assert_count, closed_port, gets_poems_interleaved,
    helps, ports, refuses_bad_addresses, run, run_ok, servers, survives_a_refused_port,
};

const CLIENT: &str = env!("CARGO_BIN_EXE_client-2");
const TOKIO: &str = env!("CARGO_BIN_EXE_client-2-tokio");
const SIMPLE: &str = env!("CARGO_BIN_EXE_client-2-simple");
const STACK: &str = env!("CARGO_BIN_EXE_client-2-stack");
const DEMO: &str = env!("CARGO_BIN_EXE_part-05");

#[test]
fn client_2_gets_every_poem_with_chunks_interleaved_across_servers() {
    gets_poems_interleaved(CLIENT, &[]);
}

#[test]
fn a_refused_port_is_reported_and_the_other_poems_arrive() {
    for program in [CLIENT, TOKIO] {
        survives_a_refused_port(program, &[], 2);
    }
}

#[test]
fn the_tokio_client_prints_what_client_2_prints() {
    // Chunks 50 ms apart arrive one by one; only a stalled machine could
    // merge two of them into one read, so allow a retry for that alone.
    let mut last = None;
    for _ in 0..3 {
        let servers = servers(3, 100, 50);
        let ports = ports(&servers);
        let ours = run(CLIENT, &args(&[], &ports));
        let theirs = run(TOKIO, &args(&[], &ports));
        assert!(ours.status.success() && theirs.status.success());
        assert_eq!(ours.stderr, theirs.stderr);
        let (ours, theirs) = (
            ClientOutput::sort_out(&ours.stdout, &ports),
            ClientOutput::sort_out(&theirs.stdout, &ports),
        );
        assert_eq!(ours.chunks.len(), 3);
        // `Task N finished` lines come in whatever order the servers end;
        // the closing lines must be the same, in the same order.
        let (mut a, mut b) = (ours.rest.clone(), theirs.rest.clone());
        let split = a.len() - 4;
        assert_eq!(a[split..], b[b.len() - 4..], "closing lines differ");
        a.sort();
        b.sort();
        assert_eq!(a, b);
        if ours.chunks == theirs.chunks {
            return;
        }
        last = Some((ours.chunks, theirs.chunks));
    }
    panic!("the chunk lines differ in every run: {last:?}");
}

#[test]
fn the_library_clients_return_exact_poems_on_every_backend() {
    let servers = servers(3, 64, 5);
    let addrs: Vec<SocketAddr> = servers.iter().map(|(s, _)| s.addr()).collect();
    for backend in BackendKind::ALL {
        let reactor = Reactor::with(backend, Clock::real()).unwrap();
        let outcomes = client::get_poetry(&reactor, &addrs, |_| {}).unwrap();
        for ((_, poem), outcome) in servers.iter().zip(&outcomes) {
            assert_eq!(outcome.as_deref().unwrap(), *poem, "{backend:?}");
        }
    }
    let outcomes =
        tokio_client::get_poetry(&addrs, part_02::cli::Timeouts::default(), |_| {}).unwrap();
    for ((_, poem), outcome) in servers.iter().zip(&outcomes) {
        assert_eq!(outcome.as_deref().unwrap(), *poem, "tokio");
    }
}

#[test]
fn two_tasks_on_one_server_both_get_the_poem() {
    let servers = servers(1, 200, 5);
    let addr = servers[0].0.addr();
    let closed: SocketAddr = ([127, 0, 0, 1], closed_port()).into();
    let reactor = Reactor::new().unwrap();
    let outcomes = client::get_poetry(&reactor, &[addr, closed, addr], |_| {}).unwrap();
    assert_eq!(outcomes[0].as_deref().unwrap(), servers[0].1);
    assert!(matches!(outcomes[1], Err(FetchError::Connect(_))));
    assert_eq!(outcomes[2].as_deref().unwrap(), servers[0].1);
}

#[test]
fn client_2_simple_prints_every_poem_at_the_end() {
    // Poems of different lengths at one pace finish in the order of their
    // lengths: the simple client prints them in the order they finished,
    // each followed by a newline, and only once they are all in.
    let servers = servers(3, 50, 20);
    let ports = ports(&servers);
    let out = run(SIMPLE, &args(&[], &ports));
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let mut poems: Vec<&[u8]> = servers.iter().map(|(_, poem)| *poem).collect();
    poems.sort_by_key(|poem| poem.len());
    let expected: Vec<u8> = poems
        .iter()
        .flat_map(|poem| [*poem, b"\n"].concat())
        .collect();
    assert_eq!(out.stdout_bytes, expected);

    // A server that cannot be reached is reported at once; the other
    // poems still arrive, and the exit code says something failed.
    let closed = closed_port().to_string();
    let out = run(SIMPLE, &[&closed, &ports[0]]);
    assert!(!out.status.success());
    assert_eq!(out.stderr, "");
    let expected = [
        format!("Failed to connect to: 127.0.0.1:{closed}\n").into_bytes(),
        servers[0].1.to_vec(),
        b"\n".to_vec(),
    ]
    .concat();
    assert_eq!(out.stdout_bytes, expected);
}

/// The layers of a printed stack, in order, each run of one layer counted
/// once. Without debug information (a release build) a stack has no frames
/// to show, so there is nothing to check: the expected order is returned.
fn layers_in_order(stdout: &str) -> Vec<String> {
    if !cfg!(debug_assertions) {
        return ["program", "reactor", "transport", "protocol"]
            .map(String::from)
            .to_vec();
    }
    let mut layers: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if let Some(layer) = line.split_whitespace().next()
            && ["program", "reactor", "transport", "protocol"].contains(&layer)
            && layers.last().map(String::as_str) != Some(layer)
        {
            layers.push(layer.to_string());
        }
    }
    layers
}

#[test]
fn client_2_stack_shows_the_layers_once() {
    let servers = servers(1, 40, 20);
    let port = ports(&servers).remove(0);
    let out = run(STACK, &[&port]);
    assert!(out.status.success(), "{}", out.stderr);
    assert_count(&out.stdout, "The stack, outermost call first:", 1);
    assert_eq!(
        layers_in_order(&out.stdout),
        ["program", "reactor", "transport", "protocol"],
        "{}",
        out.stdout
    );
    if cfg!(debug_assertions) {
        let frame = |layer: &str, function: &str| {
            out.stdout.lines().any(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                words.len() == 3 && words[0] == layer && words[1].ends_with(function)
            })
        };
        assert!(frame("transport", "do_read"), "{}", out.stdout);
        assert!(frame("protocol", "data_received"), "{}", out.stdout);
    }

    let closed = closed_port().to_string();
    let out = run(STACK, &[&closed]);
    assert!(!out.status.success());
    assert!(
        out.stderr
            .ends_with("error: no poetry arrived, so there was no stack to show\n")
    );
}

#[test]
fn every_program_has_help() {
    for program in [CLIENT, TOKIO, SIMPLE, STACK, DEMO] {
        helps(program, &["Usage:"]);
    }
}

#[test]
fn bad_addresses_get_one_clear_error() {
    for program in [CLIENT, TOKIO, SIMPLE, STACK] {
        refuses_bad_addresses(program, &[]);
    }
}

#[test]
fn the_demo_ends_by_itself_and_says_what_to_notice() {
    let out = run_ok(DEMO, &["--servers", "2", "--delay-ms", "20"]);
    assert_eq!(out.stderr, "");
    assert_contains_all(
        &out.stdout,
        &[
            "1. Client 2.0 on our reactor",
            "2. The same client on tokio",
            "Both clients got the same 2 poems, byte for byte",
            "The stack, outermost call first:",
            "What to notice:",
        ],
    );
    assert_count(&out.stdout, "Got 2 poems in ", 2);
    assert_eq!(
        layers_in_order(&out.stdout),
        ["program", "reactor", "transport", "protocol"]
    );

    let out = run_ok(DEMO, &["--stack", "--delay-ms", "20"]);
    assert!(!out.stdout.contains("What to notice"));
    assert_count(&out.stdout, "The stack, outermost call first:", 1);
}
