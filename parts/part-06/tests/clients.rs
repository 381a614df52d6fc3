//! Client 3.0 and 3.1 as programs, against slow servers on free ports:
//! whole poems, chunks interleaved across servers, the same lines from
//! both; a refused port reported (by get_poetry in 3.0, by the errback in
//! 3.1) while the other poems arrive; a connection broken halfway; an end
//! within a time limit even when nothing can be fetched; `--help` and bad
//! addresses; the guided demo.

use part_02::testing::{ClientOutput, ports, run, servers, without_time};
use part_06::testing::{breaking_server, closed};

const CLIENT_3: &str = env!("CARGO_BIN_EXE_client-3");
const CLIENT_3_1: &str = env!("CARGO_BIN_EXE_client-3-errback");
const DEMO: &str = env!("CARGO_BIN_EXE_part-06");
const CLIENTS: [&str; 2] = [CLIENT_3, CLIENT_3_1];

fn args(ports: &[String]) -> Vec<&str> {
    ports.iter().map(String::as_str).collect()
}

#[test]
fn both_clients_get_every_poem_with_chunks_interleaved() {
    let servers = servers(3, 40, 15);
    let ports = ports(&servers);
    let mut outputs = Vec::new();
    for program in CLIENTS {
        let out = run(program, &args(&ports));
        assert!(out.status.success(), "{program}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{program}");
        let output = ClientOutput::sort_out(&out.stdout, &ports);
        for (i, (_, poem)) in servers.iter().enumerate() {
            assert_eq!(output.total(i + 1), poem.len(), "{program}: task {}", i + 1);
        }
        // Task 1 does not get all its chunks before the others get any.
        let first_other = output.order.iter().position(|&t| t != 1).unwrap();
        let last_one = output.order.iter().rposition(|&t| t == 1).unwrap();
        assert!(first_other < last_one, "{program}: {:?}", output.order);
        // Each task is finished after its own last chunk.
        let lines: Vec<&str> = out.stdout.lines().collect();
        for task in 1..=3 {
            let finished = format!("Task {task} finished");
            let at = lines.iter().position(|l| *l == finished).expect("finished");
            let last_chunk = lines
                .iter()
                .rposition(|l| l.starts_with(&format!("Task {task}: got ")))
                .unwrap();
            assert!(last_chunk < at, "{program}: {finished} too early");
        }
        let summary: Vec<String> = servers
            .iter()
            .enumerate()
            .map(|(i, (_, poem))| format!("Task {}: {} bytes of poetry", i + 1, poem.len()))
            .chain(["Got 3 poems in T".to_string()])
            .collect();
        assert_eq!(output.rest[3..], summary[..], "{program}");
        outputs.push(output);
    }
    // The same lines from both, but for the order of finishing.
    let [mut a, mut b] = [0, 1].map(|i| outputs[i].rest.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(outputs[0].chunks.len(), outputs[1].chunks.len());
}

#[test]
fn a_refused_port_is_reported_and_the_other_poems_arrive() {
    let servers = servers(2, 100, 10);
    let mut ports = ports(&servers);
    let refused = closed().port().to_string();
    ports.insert(1, refused.clone());
    for program in CLIENTS {
        let out = run(program, &args(&ports));
        assert_eq!(out.status.code(), Some(1), "{program} should fail");
        // Client 3.0's line comes from inside get_poetry, client 3.1's from
        // its errback: the same words either way.
        assert_eq!(
            out.stderr,
            format!(
                "Task 2: failed to get poetry from 127.0.0.1:{refused}: cannot connect: \
                 Connection refused (os error 111)\nerror: 1 of 3 downloads failed\n"
            ),
            "{program}"
        );
        let output = ClientOutput::sort_out(&out.stdout, &ports);
        assert!(!output.chunks.contains_key(&2));
        assert_eq!(output.total(1), servers[0].1.len());
        assert_eq!(output.total(3), servers[1].1.len());
        assert!(!output.rest.contains(&"Task 2 finished".to_string()));
        assert_eq!(
            output.rest[output.rest.len() - 3..],
            [
                format!("Task 1: {} bytes of poetry", servers[0].1.len()),
                format!("Task 3: {} bytes of poetry", servers[1].1.len()),
                "Got 2 poems in T".to_string(),
            ]
        );
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
    let ports = [closed().port().to_string(), closed().port().to_string()];
    for program in CLIENTS {
        let out = run(program, &args(&ports));
        assert_eq!(out.status.code(), Some(1), "{program}");
        assert!(out.took.as_secs() < 5, "{program} took {:?}", out.took);
        assert_eq!(out.stderr.lines().count(), 3, "{program}: {}", out.stderr);
        assert_eq!(without_time(out.stdout.trim_end()), "Got 0 poems in T");
    }
}

#[test]
fn every_program_has_help() {
    for program in [CLIENT_3, CLIENT_3_1, DEMO] {
        let out = run(program, &["--help"]);
        assert!(out.status.success(), "{program}");
        assert!(out.stdout.contains("Usage:"), "{program}: {}", out.stdout);
    }
}

#[test]
fn bad_addresses_get_one_clear_error() {
    for program in CLIENTS {
        let out = run(program, &["not-a-port"]);
        assert_eq!(out.status.code(), Some(2), "{program}");
        assert!(
            out.stderr.starts_with("error: "),
            "{program}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("bad port"), "{program}: {}", out.stderr);

        let out = run(program, &["no-such-host.invalid:10000"]);
        assert_eq!(out.status.code(), Some(1), "{program}");
        assert_eq!(
            out.stderr.lines().collect::<Vec<_>>().len(),
            1,
            "{program}: {}",
            out.stderr
        );
        assert!(
            out.stderr
                .starts_with("error: cannot resolve address no-such-host.invalid:10000"),
            "{program}: {}",
            out.stderr
        );
        assert_eq!(out.stdout, "");

        let out = run(program, &[]);
        assert_eq!(out.status.code(), Some(2), "{program} needs an address");
    }
}

#[test]
fn the_demo_ends_by_itself_and_says_what_to_notice() {
    let out = run(DEMO, &["--servers", "2", "--delay-ms", "20"]);
    assert!(out.status.success(), "{}", out.stderr);
    for text in [
        "1. Client 3.0",
        "2. Client 3.1",
        "poem_failed was handed:\n  task 3: FetchError::Connect(ConnectionRefused)",
        "3. Where the closures are called from",
        "4. Rust today",
        "What to notice:",
    ] {
        assert!(out.stdout.contains(text), "no {text:?} in\n{}", out.stdout);
    }
    // Three runs of the downloads, each with 2 poems of 3.
    assert_eq!(out.stdout.matches("Got 2 poems in ").count(), 3);
    // The refused task is reported once by each client, on standard error
    // (the tokio run prints its result on standard output).
    assert_eq!(
        out.stderr.matches("Task 3: failed to get poetry").count(),
        2
    );
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
