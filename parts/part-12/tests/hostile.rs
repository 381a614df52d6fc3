//! The transformation servers against hostile conditions: an output nobody
//! reads (closed, or full) must not stop them serving.

mod common;

use common::ask;
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
    let silent = testkit::silent_server();
    let unanswering = testkit::Unanswering::new();
    let ports = [
        silent.local_addr().expect("an address").port().to_string(),
        unanswering.port.to_string(),
    ];
    for port in &ports {
        let args = [
            "--idle-timeout",
            "1",
            "--connect-timeout",
            "1",
            "--poem",
            "HI",
            port,
        ];
        let out = testkit::run(program, &args);
        assert!(!out.status.success(), "{program} {port}");
        assert!(
            out.took < Duration::from_secs(5),
            "{program} took {:?}",
            out.took
        );
        assert!(
            out.stderr.contains("timed out"),
            "{program}: {}",
            out.stderr
        );
    }
}

#[test]
fn client_6_gives_up_on_silent_servers_and_keeps_the_originals() {
    let program = env!("CARGO_BIN_EXE_client-6");
    let servers = testkit::servers(1, 100, 10);
    let silent = testkit::silent_server();
    let unanswering = testkit::Unanswering::new();
    let ports = [
        silent.local_addr().expect("an address").port().to_string(),
        servers[0].0.addr().port().to_string(),
        unanswering.port.to_string(),
    ];
    let mut args = vec!["--idle-timeout", "1", "--connect-timeout", "1"];
    args.extend(ports.iter().map(String::as_str));
    let out = testkit::run(program, &args);
    assert!(
        out.took < Duration::from_secs(8),
        "{program} took {:?}",
        out.took
    );
    assert!(
        out.stdout.contains("Got 1 poems"),
        "{program}: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("timed out"),
        "{program}: {}",
        out.stderr
    );
}
