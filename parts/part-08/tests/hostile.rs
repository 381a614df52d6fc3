//! The clients 4.0 against servers that stay silent (accept and never
//! send, or never answer a connection): they give up on them as on a
//! refused port.

#[test]
fn every_client_gives_up_on_silent_servers() {
    for program in [
        env!("CARGO_BIN_EXE_client-4"),
        env!("CARGO_BIN_EXE_client-4-tokio"),
    ] {
        testkit::gives_up_on_silent_servers(program, &[]);
    }
    // Its own time limit, for the whole download, is long: the idle
    // timeout comes first.
    let program = env!("CARGO_BIN_EXE_client-4-timeout");
    testkit::gives_up_on_silent_servers(program, &["--timeout", "60"]);
}

#[test]
fn the_stack_client_gives_up_on_silent_servers() {
    let program = env!("CARGO_BIN_EXE_client-4-stack");
    let silent = testkit::silent_server();
    let unanswering = testkit::Unanswering::new();
    let silent_port = silent.local_addr().expect("an address").port().to_string();
    let unanswering_port = unanswering.port.to_string();
    let out = testkit::run(
        program,
        &[
            "--idle-timeout",
            "1",
            "--connect-timeout",
            "1",
            &silent_port,
            &unanswering_port,
        ],
    );
    assert!(
        out.took < std::time::Duration::from_secs(5),
        "{program} took {:?}",
        out.took
    );
    assert!(!out.status.success(), "{program}: {}", out.stderr);
}
