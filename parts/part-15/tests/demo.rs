//! The guided demo, run as a reader runs it: three tests pass, three fail
//! on purpose, each with the harness's message, and the demo ends by
//! itself with success.

use testkit::{self, assert_in_order};

const DEMO: &str = env!("CARGO_BIN_EXE_part-15");

#[test]
fn the_demo_shows_each_way_of_failing_and_ends() {
    let output = testkit::run_ok(DEMO, &[]);
    assert_in_order(
        &output.stdout,
        &[
            "  test_client ... [OK]",
            "  test_failure ... [OK]",
            "  poem_in_memory ... [OK]",
            "  forgot_to_close ... [FAIL]",
            "  forgot_to_stop_listening ... [FAIL]",
            "  expected_the_wrong_failure ... [FAIL]",
            "[FAIL] test forgot_to_close failed:",
            "  the test timed out: its deferred had not fired after 5.000s",
            "[FAIL] test forgot_to_stop_listening failed:",
            "  the reactor was left dirty:",
            "    listening port 127.0.0.1:",
            "[FAIL] test expected_the_wrong_failure failed:",
            "expected a failure of type TimedOut, got [Failure FetchError: cannot connect",
            "FAILED (failures=3, successes=3)",
            "What to notice:",
        ],
    );
}

#[test]
fn the_demo_has_help() {
    let output = testkit::run_ok(DEMO, &["--help"]);
    assert!(
        output.stdout.contains("Usage: part-15"),
        "{}",
        output.stdout
    );
}
