//! Part 16's servers against an output nobody reads (closed, or full): as
//! every other server of the workspace, they log through a queue that
//! never waits, and go on serving.

use testkit::{fetch_poem, poem, poem_path, serves_when_nobody_reads};

#[test]
fn the_services_serve_with_their_output_closed_or_unread() {
    let path = poem_path("science.txt");
    let expected = poem("science.txt");
    serves_when_nobody_reads(
        env!("CARGO_BIN_EXE_fastpoetry-service"),
        &["--port", "0", &path],
        2000,
        fetch_poem,
        expected,
    );
    // Its pid file in a place of its own, not in the package's folder.
    let place = tempfile::tempdir().expect("a temporary folder");
    let pidfile = place.path().join("twistd.pid");
    let pidfile = pidfile.to_str().expect("a UTF-8 path");
    serves_when_nobody_reads(
        env!("CARGO_BIN_EXE_twistd"),
        &[
            "--nodaemon",
            "--pidfile",
            pidfile,
            "fastpoetry",
            "--port",
            "0",
            "--poem",
            &path,
        ],
        2000,
        fetch_poem,
        expected,
    );
}
