//! The exercises' solutions, run, and their output checked.

use part_22::{Proof, check};
use testkit::{ports, run_example_ok, servers};

#[test]
fn two_more_clients_join_the_tour_with_an_entry_each() {
    let out = run_example_ok("part-22", "part22-ex1-more-clients", &[]).stdout;
    for name in ["client-3-errback", "client-5-1"] {
        let row = out
            .lines()
            .find(|line| line.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{out}"));
        assert!(!row.contains("FAILED"), "{row}");
    }
}

#[test]
fn the_tiny_tokio_client_gets_every_poem() {
    let servers = servers(3, 100, 5);
    let ports = ports(&servers);
    let args: Vec<&str> = ports.iter().map(String::as_str).collect();
    let out = run_example_ok("part-22", "part22-ex2-tiny-tokio", &args).stdout;
    let served: Vec<&[u8]> = servers.iter().map(|(_, poem)| *poem).collect();
    let kept: Vec<Vec<u8>> = served.iter().map(|poem| poem.to_vec()).collect();
    assert_eq!(check(Proof::Sizes, &out, &served, &kept), Ok(()), "{out}");
    for (task, poem) in served.iter().enumerate() {
        let size = format!("Task {}: {} bytes of poetry", task + 1, poem.len());
        assert!(out.contains(&size), "{size} missing:\n{out}");
    }
}
