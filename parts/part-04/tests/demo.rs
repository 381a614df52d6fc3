//! The guided demo, run quickly: it ends by itself, shows both clients, and
//! its numbers tell the lesson (the broken client's heartbeat went silent).

use testkit::{assert_contains_all, assert_count, helps, refuses, run_ok};

const DEMO: &str = env!("CARGO_BIN_EXE_part-04");

/// The `heartbeats: N, the longest silence T` numbers of a totals line.
fn heartbeat(line: &str) -> (usize, f64) {
    let rest = line
        .split_once("heartbeats: ")
        .expect("a heartbeat count")
        .1;
    let (count, rest) = rest
        .split_once(", the longest silence ")
        .expect("a silence");
    let seconds = rest.strip_suffix('s').expect("seconds");
    (count.parse().unwrap(), seconds.parse().unwrap())
}

#[test]
fn the_demo_shows_both_clients_and_the_silenced_heartbeat() {
    let out = run_ok(DEMO, &["--delay-ms", "20"]);
    assert_eq!(out.stderr, "");
    assert_contains_all(
        &out.stdout,
        &[
            "1. Client 1.0:",
            "2. The broken client:",
            "Client 1.0        ",
            "Broken client     ",
            "  heartbeat          │",
            "What to notice:",
        ],
    );
    // Both clients got all three poems.
    assert_count(&out.stdout, "Got 3 poems in ", 2);
    let good = out
        .stdout
        .lines()
        .find(|l| l.starts_with("Client 1.0: "))
        .unwrap();
    let broken = out
        .stdout
        .lines()
        .find(|l| l.starts_with("Broken client: "))
        .unwrap();
    let (good, broken) = (heartbeat(good), heartbeat(broken));
    // 20 ms heartbeats over a run of about 0.4 s: client 1.0 kept them
    // going; the broken client was stuck in one do_read after another.
    assert!(good.0 > 2 * broken.0, "{good:?} against {broken:?}");
    assert!(broken.1 > 2.0 * good.1, "{good:?} against {broken:?}");
}

#[test]
fn the_demo_explains_its_options_and_refuses_bad_ones() {
    helps(DEMO, &["--servers"]);
    refuses(DEMO, &["--servers", "0"], "--servers");
}
