//! The exercises' solutions, run, with the order of what they print.

use testkit::{assert_in_order, run_example_ok};

#[test]
fn a_list_firing_on_one_success_with_no_success_fires_with_everything() {
    let out = run_example_ok("part-18", "part18-ex1-no-winner", &[]).stdout;
    assert_in_order(
        &out,
        &[
            "Failing d2.",
            "Failing d1.",
            "no success; all outcomes: [(false, [Failure Message: d1 failure",
            "(false, [Failure Message: d2 failure",
        ],
    );
    assert!(!out.contains("first success"), "{out}");
}

#[test]
fn an_outer_list_fires_after_its_inner_lists() {
    let out = run_example_ok("part-18", "part18-ex2-nested", &[]).stdout;
    assert_in_order(
        &out,
        &[
            "Firing b1",
            "Firing a2.",
            "Firing a1",
            "The outer list fires:",
            r#"inner list 0: [(true, "first morning poem"), (true, "second morning poem")]"#,
            r#"inner list 1: [(true, "evening poem")]"#,
        ],
    );
}
