//! The guided demo runs by itself, ends, and shows the cancel rules and
//! proxy 3.0's cancelled download in order.

use testkit::{assert_in_order, run_ok};

#[test]
fn the_demo_shows_the_rules_then_a_cancelled_download() {
    let out = run_ok(env!("CARGO_BIN_EXE_part-19"), &[]).stdout;
    assert_in_order(
        &out,
        &[
            "1. Cancel before",
            "errback got the deferred was cancelled",
            "firing it afterwards is ignored: Ok(())",
            "2. Cancel after",
            "callback got \"on time\"",
            "3. A canceller",
            "canceller: stopping the work",
            "errback got the deferred was cancelled",
            "4. A canceller may fire",
            "callback got \"a default poem\"",
            "proxy: Fetching poem from server.",
            "client: hanging up",
            "proxy: Canceling poem download.",
            "hung up before its poem arrived.",
            "downloads started: 1, cancelled: 1",
        ],
    );
}
