//! Client 1.0 (and its broken twin) against servers that stay silent: they
//! give up on them as on a refused port.

#[test]
fn both_clients_give_up_on_silent_servers() {
    for program in [
        env!("CARGO_BIN_EXE_client-1"),
        env!("CARGO_BIN_EXE_client-1-broken"),
    ] {
        let out = testkit::gives_up_on_silent_servers(program, &[]);
        assert!(
            out.stdout.contains("Got 1 poems"),
            "{program}: {}",
            out.stdout
        );
    }
}
