//! The guided demo runs by itself, ends, and shows each scene's messages:
//! poems before their workers' down messages, a refused port and a crash
//! as down messages, and under the supervisor a restart that succeeds and
//! one that is given up on.

use testkit::{assert_contains_all, assert_count, assert_in_order, run_ok};

#[test]
fn the_demo_shows_poems_downs_and_restarts() {
    let out = run_ok(env!("CARGO_BIN_EXE_part-20"), &[]).stdout;
    assert_in_order(
        &out,
        &[
            "1. One process per server",
            "2. Task 2's port is closed",
            "3. The same under a supervisor",
            "What to notice:",
        ],
    );
    let scene = |n: usize| {
        let start = out.find(&format!("\n{n}. ")).expect("the scene");
        let end = out[start + 1..]
            .find("every worker is down")
            .expect("the scene's end");
        &out[start..start + 1 + end]
    };
    let one = scene(1);
    for task in 1..=3 {
        assert_in_order(
            one,
            &[
                &format!("Task {task}: poem received"),
                &format!("Task {task} down: normal"),
            ],
        );
    }
    let two = scene(2);
    assert_contains_all(
        two,
        &[
            "Task 2: failed to get poetry from 127.0.0.1:",
            "cannot connect: Connection refused",
            "Task 3: failed to get poetry from 127.0.0.1:",
            "the task panicked at",
            "task 3 crashed on purpose (--crash)",
            "Task 1 down: normal",
        ],
    );
    assert!(!two.contains("Task 3 down: normal"), "{two}");
    let three = scene(3);
    assert_in_order(
        three,
        &[
            "Task 2 down: cannot connect",
            "restart 1 of 2",
            "Task 2 down: cannot connect",
            "restart 2 of 2",
            "(gave up after 2 restarts)",
        ],
    );
    assert_in_order(
        three,
        &[
            "Task 3 down: the task panicked at",
            "restart 1 of 2 in 0.500s",
            "Task 3: poem received, 573 bytes",
            "Task 3 down: normal",
        ],
    );
    assert_count(three, "Task 1 down: normal", 1);
    assert_in_order(
        &out,
        &[
            "every worker is down: 3 of 3 poems",
            "every worker is down: 1 of 3 poems",
            "every worker is down: 2 of 3 poems",
        ],
    );
    assert!(
        !out.contains("bytes of poetry from"),
        "chunk lines are hidden"
    );
}
