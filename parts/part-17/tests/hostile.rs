//! Part 17's programs against hostile conditions, as their part 11 and
//! part 12 counterparts are tested: a server whose output nobody reads, or
//! whose client never reads, serves all the same; a client gives up on
//! silent servers and keeps what it can.

use std::time::Duration;

use testkit::{fetch_poem, poem, poem_path, serves_when_nobody_reads};

const FASTPOETRY_ASYNC: &str = env!("CARGO_BIN_EXE_fastpoetry-async");

#[test]
fn fastpoetry_async_serves_with_its_output_closed_or_unread() {
    let path = poem_path("science.txt");
    let expected = poem("science.txt");
    serves_when_nobody_reads(FASTPOETRY_ASYNC, &[&path], 2000, fetch_poem, expected);
}

#[test]
fn fastpoetry_async_lets_go_of_a_client_that_never_reads() {
    let poem = testkit::BigPoem::new("part-17-never-reads");
    let path = poem.arg();
    let args = ["--write-timeout", "1", &path];
    testkit::drops_a_client_that_never_reads(FASTPOETRY_ASYNC, &args, b"", fetch_poem, &poem.bytes);
}

#[test]
fn client_7_gives_up_on_silent_servers_and_keeps_the_originals() {
    for program in [
        env!("CARGO_BIN_EXE_client-7"),
        env!("CARGO_BIN_EXE_client-7-tokio"),
    ] {
        let servers = testkit::servers(1, 100, 10);
        let silent = testkit::silent_server();
        let unanswering = testkit::Unanswering::new();
        // The first address is the transformation server: here, a silent
        // one, so every poem that does arrive is kept as it came.
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
