//! The transformation servers against hostile conditions: an output nobody
//! reads (closed, or full) must not stop them serving.

mod common;

use common::ask;
use std::io::Write;
use std::time::Duration;

use testkit::serves_when_nobody_reads;

const SERVERS: [&str; 2] = [
    env!("CARGO_BIN_EXE_transformedpoetry"),
    env!("CARGO_BIN_EXE_transformedpoetry-tokio"),
];

#[test]
fn both_servers_serve_with_their_output_closed_or_unread() {
    let transform = |port: u16| ask(([127, 0, 0, 1], port).into(), b"20:cummingsify.HI THERE,");
    for program in SERVERS {
        serves_when_nobody_reads(program, &[], 2000, transform, b"8:hi there,");
    }
}

#[test]
fn transform_test_gives_up_on_a_silent_server() {
    let program = env!("CARGO_BIN_EXE_transform-test");
    for out in testkit::gives_up_alone(program, &["--poem", "HI"]) {
        assert!(
            out.stderr.contains("timed out"),
            "{program}: {}",
            out.stderr
        );
    }
}

#[test]
fn client_6_gives_up_on_silent_servers_and_keeps_the_originals() {
    testkit::transform_client_gives_up_on_silent_servers(env!("CARGO_BIN_EXE_client-6"));
}

#[test]
fn an_impossible_max_length_is_refused_and_a_huge_length_is_only_too_long() {
    for program in SERVERS {
        let out = testkit::run(program, &["--max-length", "18446744073709551615"]);
        assert!(!out.status.success(), "{program}");
        assert!(
            out.stderr.starts_with("error: "),
            "{program}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("must be at most"),
            "{program}: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains("panicked"),
            "{program}: {}",
            out.stderr
        );

        let largest = part_12::netstring::LARGEST_MAX_LENGTH.to_string();
        let (mut server, port) = testkit::start_server(program, &["--max-length", &largest]);
        let addr = ([127, 0, 0, 1], port).into();
        assert_eq!(ask(addr, b"99999999999999999999999:"), b"", "{program}");
        assert!(server.line().ends_with(" connected"), "{program}");
        let line = server.line();
        assert!(line.contains("over the limit"), "{program}: {line}");
        assert_eq!(
            ask(addr, b"20:cummingsify.HI THERE,"),
            b"8:hi there,",
            "{program}"
        );
    }
}

#[test]
fn timeout_0_means_no_time_limit_on_both_servers() {
    for program in SERVERS {
        let (_server, port) = testkit::start_server(program, &["--timeout", "0"]);
        let mut socket = common::connect(([127, 0, 0, 1], port).into());
        std::thread::sleep(Duration::from_millis(300));
        socket.write_all(b"20:cummingsify.HI THERE,").expect("send");
        assert_eq!(
            common::read_to_close(&mut socket),
            b"8:hi there,",
            "{program}"
        );
    }
}

#[test]
fn both_servers_raise_their_limit_on_open_files() {
    let limit = part_11::file_limit().expect("the limit on open files");
    if limit.hard <= 1024 {
        eprintln!(
            "the hard limit on open files is {}: nothing to raise",
            limit.hard
        );
        return;
    }
    for program in SERVERS {
        // Started with a soft limit of 1,024, the server must raise it.
        part_11::set_file_limit(1024).expect("the soft limit can be lowered");
        let (server, _port) = testkit::start_server(program, &[]);
        part_11::raise_file_limit().expect("the soft limit can be raised again");
        let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.child.id()))
            .expect("the server's limits");
        let open_files = limits
            .lines()
            .find(|line| line.starts_with("Max open files"))
            .expect("a line for open files");
        let soft: u64 = open_files
            .split_whitespace()
            .nth(3)
            .and_then(|soft| soft.parse().ok())
            .unwrap_or_else(|| panic!("{open_files}"));
        assert_eq!(soft, limit.hard, "{program}: {open_files}");
    }
}

#[test]
fn both_servers_let_go_of_a_client_that_never_reads_its_reply() {
    let poem = testkit::BigPoem::new("part-12-never-reads");
    let mut payload = b"cummingsify.".to_vec();
    payload.extend_from_slice(&poem.bytes);
    let request = part_12::netstring::encode(&payload);
    let transform = |port: u16| ask(([127, 0, 0, 1], port).into(), b"20:cummingsify.HI THERE,");
    let args = ["--write-timeout", "1", "--max-length", "10000000"];
    for program in SERVERS {
        testkit::drops_a_client_that_never_reads(
            program,
            &args,
            &request,
            transform,
            b"8:hi there,",
        );
    }
}
