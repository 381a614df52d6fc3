//! The clients of this part against servers that stay silent (accept and
//! never send, or never answer a connection): they give up on them as on a
//! refused port.

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

/// `program` gives up on a silent server, and says so.
fn gives_up_alone(program: &str) {
    for out in testkit::gives_up_alone(program, &[]) {
        // client-2-simple reports a failed connect as the series' does,
        // on standard output and without a reason.
        assert!(
            out.stderr.contains("timed out")
                || out.stderr.contains("no poetry arrived")
                || out.stdout.contains("Failed to connect to: "),
            "{program}: {}{}",
            out.stdout,
            out.stderr
        );
    }
}
