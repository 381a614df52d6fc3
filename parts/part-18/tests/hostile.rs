//! Client 8.0 against silent servers, as every client of the workspace is
//! tested: it gives up on them as on a refused port and keeps what it can.

#[test]
fn client_8_gives_up_on_silent_servers_and_keeps_the_originals() {
    for program in [
        env!("CARGO_BIN_EXE_client-8"),
        env!("CARGO_BIN_EXE_client-8-tokio"),
    ] {
        testkit::transform_client_gives_up_on_silent_servers(program);
    }
}
