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
    testkit::gives_up_alone(env!("CARGO_BIN_EXE_client-4-stack"), &[]);
}
