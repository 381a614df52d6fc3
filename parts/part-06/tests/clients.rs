//! Client 3.0 and 3.1 as programs, against slow servers on free ports:
//! whole poems, chunks interleaved across servers, the same lines from
//! both; a refused port reported (by get_poetry in 3.0, by the errback in
//! 3.1) while the other poems arrive; a connection broken halfway; an end
//! within a time limit even when nothing can be fetched; `--help` and bad
//! addresses; the guided demo.

use testkit::breaking_server;
use testkit::{
    assert_contains_all, assert_count, ends_with_nothing_fetched, gets_poems_interleaved, helps,
    refuses_bad_addresses, run, run_ok, survives_a_refused_port, without_time,
};

const CLIENT_3: &str = env!("CARGO_BIN_EXE_client-3");
const CLIENT_3_1: &str = env!("CARGO_BIN_EXE_client-3-errback");
const DEMO: &str = env!("CARGO_BIN_EXE_part-06");
const CLIENTS: [&str; 2] = [CLIENT_3, CLIENT_3_1];

#[test]
fn both_clients_get_every_poem_with_chunks_interleaved() {
    // Each client's lines are checked against the same poems, so both
    // print the same lines but for the order of chunks and of finishing.
    for program in CLIENTS {
        gets_poems_interleaved(program, &[]);
    }
}

#[test]
fn a_refused_port_is_reported_and_the_other_poems_arrive() {
    // Client 3.0's line comes from inside get_poetry, client 3.1's from
    // its errback: the same words either way.
    for program in CLIENTS {
        survives_a_refused_port(program, &[], 2);
    }
}

#[test]
fn a_broken_connection_is_a_failure_not_a_poem() {
    for program in CLIENTS {
        let (addr, server) = breaking_server(25);
        let port = addr.port().to_string();
        let out = run(program, &[&port]);
        server.join().unwrap();
        assert_eq!(out.status.code(), Some(1), "{program}");
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!(
                "Task 1: failed to get poetry from 127.0.0.1:{port}: connection lost after "
            )) && first.ends_with("Connection reset by peer (os error 104)"),
            "{program}: {}",
            out.stderr
        );
        assert!(out.stderr.ends_with("error: 1 of 1 downloads failed\n"));
        assert!(!out.stdout.contains("finished"), "{program}");
        let last = out.stdout.lines().last().unwrap_or_default();
        assert_eq!(without_time(last), "Got 0 poems in T", "{program}");
    }
}

#[test]
fn nothing_to_fetch_still_ends() {
    for program in CLIENTS {
        ends_with_nothing_fetched(program, &[]);
    }
}

#[test]
fn every_program_has_help() {
    for program in [CLIENT_3, CLIENT_3_1, DEMO] {
        helps(program, &["Usage:"]);
    }
}

#[test]
fn bad_addresses_get_one_clear_error() {
    for program in CLIENTS {
        refuses_bad_addresses(program, &[]);
    }
}

#[test]
fn the_demo_ends_by_itself_and_says_what_to_notice() {
    let out = run_ok(DEMO, &["--servers", "2", "--delay-ms", "20"]);
    assert_contains_all(
        &out.stdout,
        &[
            "1. Client 3.0",
            "2. Client 3.1",
            "poem_failed was handed:\n  task 3: FetchError::Connect(ConnectionRefused)",
            "3. Where the closures are called from",
            "4. Rust today",
            "What to notice:",
        ],
    );
    // Three runs of the downloads, each with 2 poems of 3.
    assert_count(&out.stdout, "Got 2 poems in ", 3);
    // The refused task is reported once by each client, on standard error
    // (the tokio run prints its result on standard output).
    assert_count(&out.stderr, "Task 3: failed to get poetry", 2);
    if cfg!(debug_assertions) {
        // Each closure's picture: the reactor, then the transport, then
        // get_poetry's code, then the closure itself, and no start_downloads.
        for (heading, closure) in [
            ("Inside poem_failed", "errback"),
            ("Inside got_poem", "callback"),
        ] {
            let mut owners: Vec<&str> = out
                .stdout
                .lines()
                .skip_while(|l| !l.starts_with(heading))
                .skip(1)
                .take_while(|l| !l.is_empty())
                .filter_map(|l| l.split_whitespace().next())
                .collect();
            owners.dedup();
            assert_eq!(
                owners,
                ["program", "reactor", "transport", "get_poetry", closure],
                "{}",
                out.stdout
            );
        }
        assert!(
            !out.stdout
                .lines()
                .any(|l| l.split_whitespace().nth(1) == Some("start_downloads"))
        );
    }
}
