//! The servers of this part against hostile conditions: an output nobody
//! reads (closed, or full) must not stop them serving.

use testkit::{fetch_poem, poem, poem_path, serves_when_nobody_reads};

const FASTPOETRY: &str = env!("CARGO_BIN_EXE_fastpoetry");
const FASTPOETRY_TOKIO: &str = env!("CARGO_BIN_EXE_fastpoetry-tokio");
const SLOWPOETRY_ASYNC: &str = env!("CARGO_BIN_EXE_slowpoetry-async");

#[test]
fn every_server_serves_with_its_output_closed_or_unread() {
    let path = poem_path("science.txt");
    let expected = poem("science.txt");
    for program in [FASTPOETRY, FASTPOETRY_TOKIO] {
        serves_when_nobody_reads(program, &[&path], 2000, fetch_poem, expected);
    }
    let paced = ["--delay", "0", "--num-bytes", "100000", &path];
    serves_when_nobody_reads(SLOWPOETRY_ASYNC, &paced, 2000, fetch_poem, expected);
}

#[test]
fn every_server_lets_go_of_a_client_that_never_reads() {
    let poem = testkit::BigPoem::new("part-11-never-reads");
    let path = poem.arg();
    let quick = ["--write-timeout", "1", &path];
    let paced = [
        "--write-timeout",
        "1",
        "--num-bytes",
        "100000000",
        "--delay",
        "0",
        &path,
    ];
    for (program, args) in [
        (FASTPOETRY, &quick[..]),
        (FASTPOETRY_TOKIO, &quick[..]),
        (SLOWPOETRY_ASYNC, &paced[..]),
    ] {
        testkit::drops_a_client_that_never_reads(program, args, b"", fetch_poem, &poem.bytes);
    }
}
