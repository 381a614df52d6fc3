//! Client 8.0 against silent servers, as every client of the workspace is
//! tested: it gives up on them as on a refused port and keeps what it can.

use std::time::Duration;

#[test]
fn client_8_gives_up_on_silent_servers_and_keeps_the_originals() {
    for program in [
        env!("CARGO_BIN_EXE_client-8"),
        env!("CARGO_BIN_EXE_client-8-tokio"),
    ] {
        let servers = testkit::servers(1, 100, 10);
        let silent = testkit::silent_server();
        let unanswering = testkit::Unanswering::new();
        // The first address is the transformation server: a silent one.
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
}
