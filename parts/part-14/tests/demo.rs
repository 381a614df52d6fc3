//! The guided demo, run as a reader runs it: what it says happened must
//! be what the proxies are meant to do.

use testkit::{self, assert_in_order};

const DEMO: &str = env!("CARGO_BIN_EXE_part-14");

#[test]
fn the_demo_tells_the_story_and_ends() {
    let output = testkit::run_ok(DEMO, &[]);
    let out = &output.stdout;
    assert_in_order(
        out,
        &[
            "succeed(\"a cached poem\") returned; is it fired? true",
            "the callback runs inside add_callback",
            "add_callback has returned.",
            "a value                → a deferred, fired already: true",
            "a deferred, not fired  → a deferred, fired already: false",
            // Proxy 1.0: a download per early client.
            "2. Proxy 1.0",
            "3 clients: 3 got the whole poem",
            "The upstream server was asked 3 times for 4 clients",
            // Proxy 2.0: one download, then cached, then expired.
            "3. Proxy 2.0",
            "Waiting for the download under way (3 clients waiting).",
            "3 clients: 3 got the whole poem",
            "Upstream connections so far: 1 (state: cached).",
            "fetching it again.",
            "Upstream connections: 2.",
            // Down, then up.
            "4. Proxy 2.0 again",
            "The download failed",
            "3 clients: 0 got the whole poem, 3 a closed connection",
            "1 client: 1 got the whole poem",
            "Upstream connections once it was up: 1 (state: cached).",
            "5. The tokio proxy",
            "Upstream connections: 1 (downloads started: 1).",
            "What to notice:",
        ],
    );
    // Proxy 1.0: one per early client; proxy 2.0: one; down and up: one
    // each; tokio: one.
    assert_eq!(
        out.matches("proxy: Fetching poem from server.").count(),
        3 + 1 + 2 + 1
    );
}

#[test]
fn the_demo_refuses_bad_options() {
    let output = testkit::run(DEMO, &["--clients", "0"]);
    assert!(!output.status.success());
    assert!(output.stderr.starts_with("error: "), "{}", output.stderr);
}
