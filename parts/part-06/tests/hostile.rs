//! Clients 3.0 and 3.1 against servers that stay silent (accept and never
//! send, or never answer a connection): they give up on them as on a
//! refused port.

#[test]
fn both_clients_give_up_on_silent_servers() {
    for program in [
        env!("CARGO_BIN_EXE_client-3"),
        env!("CARGO_BIN_EXE_client-3-errback"),
    ] {
        testkit::gives_up_on_silent_servers(program, &[]);
    }
}
