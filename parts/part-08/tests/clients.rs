//! Client 4.0 as programs, against slow servers on free ports: whole poems,
//! chunks interleaved across servers; a refused port reported by the
//! errback while the other poems arrive; an end within a time limit even
//! when nothing can be fetched; the tokio client line for line the same;
//! `--timeout` abandoning a slow server while the others complete; the
//! stack from inside the callback; `--help`, bad addresses and bad time
//! limits; the guided demo.

mod common;

use common::{closed, watching_server};
use testkit::{
    ClientOutput, args, assert_contains_all, assert_count, ends_with_nothing_fetched,
    gets_poems_interleaved, helps, poems_got, ports, refuses, refuses_bad_addresses, run, run_ok,
    servers, survives_a_refused_port,
};

const CLIENT_4: &str = env!("CARGO_BIN_EXE_client-4");
const TOKIO: &str = env!("CARGO_BIN_EXE_client-4-tokio");
const TIMEOUT: &str = env!("CARGO_BIN_EXE_client-4-timeout");
const STACK: &str = env!("CARGO_BIN_EXE_client-4-stack");
const DEMO: &str = env!("CARGO_BIN_EXE_part-08");

/// The three clients that download everything, each with the arguments it
/// needs before the addresses.
const CLIENTS: [(&str, &[&str]); 3] = [
    (CLIENT_4, &[]),
    (TOKIO, &[]),
    (TIMEOUT, &["--timeout", "20"]),
];

/// Checks that a printed stack, read from `lines` (one frame a line, its
/// owner first), goes through every layer from the program to the
/// callback, in order. Without debug information (a release build) a
/// stack has no frames, so there is nothing to check.
fn assert_layers<'a>(lines: impl Iterator<Item = &'a str>, stdout: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    let mut layers: Vec<&str> = lines.filter_map(|l| l.split_whitespace().next()).collect();
    layers.dedup();
    assert_eq!(
        layers,
        [
            "program",
            "reactor",
            "transport",
            "protocol",
            "factory",
            "deferred",
            "callback"
        ],
        "{stdout}"
    );
}

#[test]
fn every_client_gets_every_poem_with_chunks_interleaved() {
    for (program, before) in CLIENTS {
        gets_poems_interleaved(program, before);
    }
}

#[test]
fn a_refused_port_goes_to_the_errback_and_the_other_poems_arrive() {
    // The lines of part 2's asynchronous client, to the letter.
    for (program, before) in CLIENTS {
        survives_a_refused_port(program, before, 2);
    }
}

#[test]
fn nothing_to_fetch_still_ends() {
    for (program, before) in CLIENTS {
        ends_with_nothing_fetched(program, before);
    }
}

#[test]
fn the_tokio_client_prints_what_client_4_prints() {
    let servers = servers(3, 50, 10);
    let mut ports = ports(&servers);
    ports.push(closed().port().to_string());
    let [four, tokio] = [CLIENT_4, TOKIO].map(|program| run(program, &args(&[], &ports)));
    assert_eq!(four.status.code(), tokio.status.code());
    assert_eq!(four.stderr, tokio.stderr);
    let (four, tokio) = (
        ClientOutput::sort_out(&four.stdout, &ports),
        ClientOutput::sort_out(&tokio.stdout, &ports),
    );
    // Line for line, apart from the times and the order in which the
    // servers' chunks and endings interleave.
    let sorted = |output: &ClientOutput| {
        let mut rest = output.rest.clone();
        rest.sort();
        rest
    };
    assert_eq!(sorted(&four), sorted(&tokio));
    for task in 1..=3 {
        assert_eq!(four.total(task), tokio.total(task), "task {task}");
    }
    // The closing lines come last, in the same order.
    let n = four.rest.len();
    assert_eq!(four.rest[n - 4..], tokio.rest[n - 4..]);
}

#[test]
fn the_time_limit_abandons_a_slow_server_and_the_rest_complete() {
    let quick = servers(2, 1000, 5);
    let slow = servers(1, 10, 100); // over 5 s for its poem
    let mut ports = ports(&quick);
    ports.extend(testkit::ports(&slow));
    let out = run(TIMEOUT, &args(&["--timeout", "0.5"], &ports));
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "Task 3: failed to get poetry from 127.0.0.1:{}: timed out after 0.500s\n\
             error: 1 of 3 downloads failed\n",
            ports[2]
        )
    );
    assert!(out.took.as_millis() >= 500, "gave up early: {:?}", out.took);
    assert!(out.took.as_secs() < 3, "gave up late: {:?}", out.took);
    let output = ClientOutput::sort_out(&out.stdout, &ports);
    assert_eq!(output.total(1), quick[0].1.len());
    assert_eq!(output.total(2), quick[1].1.len());
    // Some of the slow poem came before the limit, not all of it.
    assert!((1..slow[0].1.len()).contains(&output.total(3)));
    let last = out.stdout.lines().last().unwrap();
    assert_eq!(poems_got(last), 2);
}

#[test]
fn the_time_limit_hangs_up_on_the_server() {
    let (addr, hung_up) = watching_server(10);
    let port = addr.port().to_string();
    let out = run(TIMEOUT, &["--timeout", "0.2", &port]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.contains("timed out after 0.200s"),
        "{}",
        out.stderr
    );
    hung_up
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("the server sees the client hang up");
}

#[test]
fn with_time_enough_nothing_is_abandoned() {
    let servers = servers(2, 200, 5);
    let ports = ports(&servers);
    let out = run_ok(TIMEOUT, &args(&["--timeout", "10"], &ports));
    assert_eq!(out.stderr, "");
    // The timers were cancelled: the program does not wait for them.
    assert!(out.took.as_secs() < 5, "took {:?}", out.took);
    assert_eq!(poems_got(out.stdout.lines().last().unwrap()), 2);
}

#[test]
fn the_stack_shows_every_layer_from_the_reactor_to_the_callback() {
    let servers = servers(1, 300, 5);
    let ports = ports(&servers);
    let out = run_ok(STACK, &args(&[], &ports));
    let mut lines = out.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "Inside got_poem, with task 1's poem, {} bytes.",
                servers[0].1.len()
            )
            .as_str()
        )
    );
    assert_eq!(lines.next(), Some("The stack, outermost call first:"));
    assert_layers(lines, &out.stdout);
    if cfg!(debug_assertions) {
        assert!(out.stdout.contains("show_stack"), "{}", out.stdout);
    }
}

#[test]
fn the_stack_needs_a_poem() {
    let port = closed().port().to_string();
    let out = run(STACK, &[&port]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(lines[0].starts_with("Task 1: failed to get poetry from "));
    assert_eq!(
        lines[1],
        "error: no poem arrived, so there was no stack to show"
    );
}

#[test]
fn every_program_has_help() {
    for program in [CLIENT_4, TOKIO, STACK, DEMO] {
        helps(program, &["Usage:"]);
    }
    helps(TIMEOUT, &["Usage:", "--timeout <SECONDS>"]);
}

#[test]
fn bad_addresses_get_one_clear_error() {
    for (program, before) in CLIENTS.into_iter().chain([(STACK, &[][..])]) {
        refuses_bad_addresses(program, before);
    }
}

#[test]
fn bad_time_limits_get_one_clear_error() {
    for (value, message) in [
        ("soon", "not a number of seconds"),
        ("0", "must be more than 0 seconds"),
        ("-1", "must be a number of seconds, 0 or more"),
    ] {
        let flag = format!("--timeout={value}");
        let out = refuses(TIMEOUT, &[&flag, "10000"], message);
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert_eq!(out.stdout, "");
    }
    let out = refuses(TIMEOUT, &["10000"], "--timeout <SECONDS>");
    assert_eq!(out.status.code(), Some(2), "the limit is required");
}

#[test]
fn the_demo_ends_by_itself_and_says_what_to_notice() {
    let out = run_ok(DEMO, &["--servers", "2", "--delay-ms", "20"]);
    assert_contains_all(
        &out.stdout,
        &[
            "1. Client 4.0",
            "failure.type_name() = part_02::FetchError",
            "failure.downcast_ref::<FetchError>() = Some(FetchError::Connect(ConnectionRefused))",
            "2. Where got_poem is called from",
            "3. Client 4.0 with a time limit",
            "4. Rust today",
            "What to notice:",
        ],
    );
    // Three runs of the downloads, each with 2 poems of 3.
    assert_count(&out.stdout, "Got 2 poems in ", 3);
    // The refused task once, and the very slow server once in each of the
    // runs with a time limit.
    assert_count(&out.stderr, "Task 3: failed to get poetry", 3);
    assert_count(&out.stderr, ": timed out after ", 2);
    let stack = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("2. Where got_poem"))
        .skip(3)
        .take_while(|l| !l.is_empty());
    assert_layers(stack, &out.stdout);
}

#[test]
fn the_demo_can_show_just_the_stack() {
    let out = run_ok(DEMO, &["--stack", "--delay-ms", "5"]);
    assert!(
        out.stdout.contains("takes a picture of the stack"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("What to notice"), "{}", out.stdout);
    if cfg!(debug_assertions) {
        assert!(
            out.stdout.contains("Read it from the top"),
            "{}",
            out.stdout
        );
    }
}
