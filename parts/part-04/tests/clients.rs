//! `client-1` and `client-1-broken` against slow servers on free ports:
//! their lines, the poems' sizes, client 1.0's interleaving, the broken
//! client's one-poem-at-a-time output, refused connections, and bad input.

use std::time::Duration;

use part_02::SlowServer;
use testkit::{
    args, assert_poems, ends_with_nothing_fetched, gets_every_poem, gets_poems_interleaved, helps,
    one_shot_server, pacing, poem, ports, refuses_bad_addresses, run, servers,
    survives_a_refused_port, task_line,
};

const CLIENT: &str = env!("CARGO_BIN_EXE_client-1");
const BROKEN: &str = env!("CARGO_BIN_EXE_client-1-broken");

#[test]
fn client_1_gets_every_poem_in_chunks_interleaved_across_servers() {
    let output = gets_poems_interleaved(CLIENT, &[]);
    // Many chunks, not a poem per read: the sockets did not block.
    assert!(output.order.len() >= 3 * 10, "{:?}", output.order);
}

#[test]
fn client_1_broken_gets_each_poem_in_one_go_one_server_after_another() {
    let servers = servers(3, 40, 15);
    let (out, output) = gets_every_poem(BROKEN, &[], &servers);
    // Each poem arrives whole, in one do_read, and its task finishes right
    // after: no other server gets a word in.
    let lines: Vec<&str> = out.stdout.lines().collect();
    let mut seen = Vec::new();
    for pair in lines[..6].chunks(2) {
        let Some((task, _)) = task_line(pair[0]).filter(|(_, rest)| rest.starts_with("got "))
        else {
            panic!("expected a chunk line, got {pair:?}");
        };
        let size = servers[task - 1].1.len();
        assert_eq!(output.chunks[&task], [size], "task {task} in one go");
        assert_eq!(pair[1], format!("Task {task} finished"));
        seen.push(task);
    }
    seen.sort();
    assert_eq!(seen, [1, 2, 3]);
}

#[test]
fn the_broken_client_is_stuck_in_the_first_ready_socket_until_its_poem_ends() {
    // Task 1 starts at once and is slow (10 bytes every 20 ms: about 1.3 s).
    // Tasks 2 and 3 send everything at 0.2 s. Client 1.0 finishes them long
    // before task 1; the broken client is inside task 1's do_read by then,
    // and stays there until task 1's poem is complete.
    let finish_order = |program| {
        let poems = [poem("science.txt"), poem("tyger.txt"), poem("panther.txt")];
        let slow = SlowServer::spawn(poems[0], pacing(10, 20)).unwrap();
        let late = Duration::from_millis(200);
        let ports = [
            slow.addr().port(),
            one_shot_server(poems[1], late).port(),
            one_shot_server(poems[2], late).port(),
        ]
        .map(|port| port.to_string());
        let out = run(program, &args(&[], &ports));
        assert!(out.status.success(), "{}", out.stderr);
        assert_poems(&out.stdout, &ports, &poems.map(Some)).finished()
    };
    let good = finish_order(CLIENT);
    assert_eq!(good.last(), Some(&1), "client 1.0: {good:?}");
    let broken = finish_order(BROKEN);
    assert_eq!(broken.first(), Some(&1), "broken client: {broken:?}");
}

#[test]
fn client_1_survives_a_refused_connection() {
    survives_a_refused_port(CLIENT, &[], 3);
}

#[test]
fn client_1_broken_survives_a_refused_connection() {
    survives_a_refused_port(BROKEN, &[], 3);
}

#[test]
fn with_every_connection_refused_the_clients_end_at_once() {
    for client in [CLIENT, BROKEN] {
        ends_with_nothing_fetched(client, &[]);
    }
}

#[test]
fn both_clients_end_soon_after_the_last_poem() {
    // Each poem takes about 0.3 s; ending takes no more than a little over that.
    let servers = servers(3, 100, 40);
    let ports = ports(&servers);
    for client in [CLIENT, BROKEN] {
        let out = run(client, &args(&[], &ports));
        assert!(out.status.success(), "{}", out.stderr);
        assert!(
            out.took < Duration::from_secs(5),
            "{client} took {:?}",
            out.took
        );
    }
}

#[test]
fn bad_input_gets_one_clear_error_and_help_explains() {
    for client in [CLIENT, BROKEN] {
        refuses_bad_addresses(client, &[]);
        let name = client.rsplit('/').next().unwrap();
        let usage = format!("Usage: {name} [OPTIONS] <ADDRESS>...");
        helps(client, &[&usage, "PORT or HOST:PORT"]);
    }
}
