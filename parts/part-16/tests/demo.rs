//! The guided demo ends by itself, and every client got its whole poem
//! although the stop came while they downloaded.

#[test]
fn the_demo_stops_gracefully_and_ends() {
    let run = testkit::run_ok(
        env!("CARGO_BIN_EXE_part-16"),
        &["--poem", "../../poetry/science.txt"],
    );
    testkit::assert_in_order(
        &run.stdout,
        &[
            "started poem",
            "started tcp",
            "wants poetry",
            "stopping tcp",
            "closed",
            "waiting for 3 client(s)",
            "sent 661 bytes",
            "stopped tcp",
            "stopping poem",
            "stopped poem",
            "The reactor has returned",
        ],
    );
    testkit::assert_count(&run.stdout, "(the whole poem)", 3);
    assert!(!run.stdout.contains("CUT SHORT"));
}
