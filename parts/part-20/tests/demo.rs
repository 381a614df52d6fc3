//! The guided demo runs by itself, ends, and shows each scene's down
//! messages in order.

use testkit::{assert_count, assert_in_order, run_ok};

#[test]
fn the_demo_shows_poems_downs_and_restarts_in_order() {
    let out = run_ok(env!("CARGO_BIN_EXE_part-20"), &[]).stdout;
    assert_in_order(
        &out,
        &[
            "1. One process per server",
            "Task 3: poem received, 573 bytes",
            "Task 3 down: normal",
            "Task 1 down: normal",
            "Task 2 down: normal",
            "every worker is down: 3 of 3 poems",
            "2. Task 2's port is closed",
            "Task 2: failed to get poetry from",
            "Connection refused",
            "task 3 crashed on purpose",
            "Task 1 down: normal",
            "every worker is down: 1 of 3 poems",
            "3. The same under a supervisor",
            "restart 1 of 2",
            "restart 2 of 2",
            "(gave up after 2 restarts)",
            "Task 1 down: normal",
            "Task 3 down: normal",
            "every worker is down: 2 of 3 poems",
            "What to notice:",
        ],
    );
    assert_count(&out, "gave up", 1);
    assert!(
        !out.contains("bytes of poetry from"),
        "chunk lines are hidden"
    );
}
