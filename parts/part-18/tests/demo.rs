//! The guided demo runs by itself, ends, and shows each scene's events in
//! order.

use testkit::{assert_in_order, run_ok};

#[test]
fn the_demo_shows_each_option_in_order() {
    let out = run_ok(env!("CARGO_BIN_EXE_part-18"), &[]).stdout;
    assert_in_order(
        &out,
        &[
            "1s: member 1 succeeds",
            "3s: member 0 succeeds",
            r#"the list fires with [(true, "first given"), (true, "second given"), (true, "third given")]"#,
            "2. A failure",
            "unhandled failure reported: server down",
            "3. The same with consume_errors",
            "the list fires with",
            "4. fire_on_one_callback",
            "2s: member 0 succeeds",
            r#"the list fires with member 0's "a poem""#,
            "3s: member 2 succeeds",
            "5. fire_on_one_errback",
            "the list fails with member 1's failure: server down",
            "6. An empty list",
            "the list fires with []",
            "gathered [1, 2]",
        ],
    );
    assert_eq!(
        out.matches("unhandled failure reported").count(),
        1,
        "{out}"
    );
}
