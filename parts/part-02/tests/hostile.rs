//! The blocking `slowpoetry` against hostile conditions: an output nobody
//! reads (closed, or full) must not stop it serving.

use testkit::{fetch_poem, poem, poem_path, serves_when_nobody_reads};

const SLOWPOETRY: &str = env!("CARGO_BIN_EXE_slowpoetry");

#[test]
fn slowpoetry_serves_with_its_output_closed_or_unread() {
    let path = poem_path("science.txt");
    let args = ["--delay", "0", "--num-bytes", "100000", &path];
    serves_when_nobody_reads(SLOWPOETRY, &args, 1500, fetch_poem, poem("science.txt"));
}

#[test]
fn both_clients_give_up_on_silent_servers() {
    for program in [
        env!("CARGO_BIN_EXE_blocking-client"),
        env!("CARGO_BIN_EXE_async-client"),
    ] {
        let out = testkit::gives_up_on_silent_servers(program, &[]);
        assert!(
            out.stdout.contains("Got 1 poems"),
            "{program}: {}",
            out.stdout
        );
    }
}

#[test]
fn slowpoetry_lets_go_of_a_client_that_never_reads() {
    // One client at a time: before the limit, the next client waited for
    // as long as the first one did not read.
    let poem = testkit::BigPoem::new("part-02-never-reads");
    let path = poem.arg();
    let args = [
        "--write-timeout",
        "1",
        "--num-bytes",
        "100000000",
        "--delay",
        "0",
        &path,
    ];
    testkit::drops_a_client_that_never_reads(SLOWPOETRY, &args, b"", fetch_poem, &poem.bytes);
}
