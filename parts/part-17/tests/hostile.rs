//! Part 17's programs against hostile conditions, as their part 11 and
//! part 12 counterparts are tested: a server whose output nobody reads, or
//! whose client never reads, serves all the same; a client gives up on
//! silent servers and keeps what it can.

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
        testkit::transform_client_gives_up_on_silent_servers(program);
    }
}
