//! The clients of this part against servers that stay silent (accept and
//! never send, or never answer a connection): they give up on them as on a
//! refused port.

use std::time::Duration;

use testkit::{Unanswering, run, silent_server};

#[test]
fn every_client_gives_up_on_silent_servers() {
    for program in [
        env!("CARGO_BIN_EXE_client-2"),
        env!("CARGO_BIN_EXE_client-2-tokio"),
    ] {
        testkit::gives_up_on_silent_servers(program, &[]);
    }
}

#[test]
fn the_one_server_clients_give_up_on_a_silent_server() {
    for program in [
        env!("CARGO_BIN_EXE_client-2-simple"),
        env!("CARGO_BIN_EXE_client-2-stack"),
    ] {
        gives_up_alone(program);
    }
}

/// `program`, given a silent server alone, then an unanswering address
/// alone, gives up on each and fails within a few seconds.
fn gives_up_alone(program: &str) {
    let silent = silent_server();
    let unanswering = Unanswering::new();
    let ports = [
        silent.local_addr().expect("an address").port().to_string(),
        unanswering.port.to_string(),
    ];
    for port in &ports {
        let out = run(
            program,
            &["--idle-timeout", "1", "--connect-timeout", "1", port],
        );
        assert!(!out.status.success(), "{program} {port}");
        assert!(
            out.took < Duration::from_secs(5),
            "{program} took {:?}",
            out.took
        );
        assert!(
            out.stderr.contains("timed out") || out.stderr.contains("no poetry arrived"),
            "{program}: {}",
            out.stderr
        );
    }
}
