//! The two Haskell clients, run as programs against slow servers of
//! different speeds on free ports: the order of what they print, whole
//! poems, refused ports, silent servers and bad input.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::mpsc;
use std::time::Duration;

use part_02::SlowServer;
use testkit::hostile::{Unanswering, gives_up_on_silent_servers, silent_server};
use testkit::{
    ClientOutput, Running, closed_port, helps, pacing, poem, refuses_bad_addresses, run, run_ok,
};

const CLIENT_1: &str = env!("CARGO_BIN_EXE_haskell-client-1");
const CLIENT_2: &str = env!("CARGO_BIN_EXE_haskell-client-2");
const CLIENT_1_TOKIO: &str = env!("CARGO_BIN_EXE_haskell-client-1-tokio");
const CLIENT_2_TOKIO: &str = env!("CARGO_BIN_EXE_haskell-client-2-tokio");
/// Each client, on our runtime and on tokio.
const CLIENTS_1: [&str; 2] = [CLIENT_1, CLIENT_1_TOKIO];
const CLIENTS_2: [&str; 2] = [CLIENT_2, CLIENT_2_TOKIO];

/// Three servers, in task order: science.txt slow, tyger.txt fast,
/// panther.txt medium, with the poem each serves.
fn three_speeds() -> Vec<(SlowServer, &'static [u8])> {
    [
        ("science.txt", 40, 30),
        ("tyger.txt", 200, 5),
        ("panther.txt", 60, 15),
    ]
    .into_iter()
    .map(|(name, bytes, delay)| {
        let poem = poem(name);
        let server = SlowServer::spawn(poem, pacing(bytes, delay)).expect("a slow server");
        (server, poem)
    })
    .collect()
}

fn ports(servers: &[(SlowServer, &[u8])]) -> Vec<String> {
    servers
        .iter()
        .map(|(server, _)| server.addr().port().to_string())
        .collect()
}

/// The lengths of a poem's lines, each with its newline.
fn line_lengths(poem: &[u8]) -> Vec<usize> {
    poem.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::len)
        .collect()
}

#[test]
fn client_1_reports_every_line_as_it_arrives_tagged_with_its_task() {
    for client in CLIENTS_1 {
        client_1_reports_lines(client);
    }
}

fn client_1_reports_lines(client: &str) {
    let servers = three_speeds();
    let ports = ports(&servers);
    let args: Vec<&str> = ports.iter().map(String::as_str).collect();
    let out = run_ok(client, &args);
    // Each chunk line names its task's server (checked by sort_out) and
    // counts one line of that task's poem, in the poem's order.
    let sorted = ClientOutput::sort_out(&out.stdout, &ports);
    for (task, (_, poem)) in (1..).zip(&servers) {
        assert_eq!(sorted.chunks[&task], line_lengths(poem), "task {task}");
    }
    // The lines of different poems interleave as they arrive: the fast
    // task 2 is done before the slow task 1's last line.
    sorted.assert_interleaved();
    let last_of = |task| {
        sorted
            .order
            .iter()
            .rposition(|&t| t == task)
            .expect("lines")
    };
    assert!(last_of(2) < last_of(1), "{:?}", sorted.order);
    // Each poem is printed whole, once, after its own last line report
    // (and, for the fast one, before the slow one's last).
    for (task, (_, poem)) in (1..).zip(&servers) {
        let text = std::str::from_utf8(poem).expect("a UTF-8 poem");
        assert_eq!(out.stdout.matches(text).count(), 1, "task {task}");
        // ...followed by a blank line, as the original's `putStrLn` prints it.
        let at = out
            .stdout
            .find(&format!("{text}\n"))
            .expect("the poem, then a blank line");
        let report = format!("Task {task}: got ");
        let last_report = out.stdout.rfind(&report).expect("a report");
        assert!(
            last_report < at,
            "task {task}'s poem came before its last line"
        );
    }
    let tyger = std::str::from_utf8(servers[1].1).expect("UTF-8");
    assert!(out.stdout.find(tyger) < out.stdout.rfind("Task 1: got "));
}

/// A poem as the clients print it whole: its text, then a blank line.
fn then_blank(poem: &[u8]) -> Vec<u8> {
    [poem, b"\n"].concat()
}

#[test]
fn client_2_prints_the_poems_whole_and_in_the_order_given() {
    for client in CLIENTS_2 {
        client_2_prints_in_order(client);
    }
}

fn client_2_prints_in_order(client: &str) {
    let servers = three_speeds();
    let ports = ports(&servers);
    let args: Vec<&str> = ports.iter().map(String::as_str).collect();
    let out = run_ok(client, &args);
    // Each poem whole, then a blank line, as the original's `putStrLn`.
    let expected: Vec<u8> = servers
        .iter()
        .flat_map(|(_, poem)| then_blank(poem))
        .collect();
    assert_eq!(out.stdout_bytes, expected, "{}", out.stdout);
    assert_eq!(out.stderr, "");
}

/// A server for one connection that sends `first`, then waits until
/// `release` says so (or 20 seconds pass), then sends `rest` and closes.
/// The thread's answer says whether it was released, or gave up waiting.
fn held_server(
    first: &'static [u8],
    rest: &'static [u8],
) -> (SocketAddr, mpsc::Sender<()>, mpsc::Receiver<bool>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind port 0");
    let addr = listener.local_addr().expect("an address");
    let (release, released) = mpsc::channel();
    let (answer, answered) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut socket, _)) = listener.accept() else {
            return;
        };
        let _ = socket.write_all(first);
        let in_time = released.recv_timeout(Duration::from_secs(20)).is_ok();
        let _ = socket.write_all(rest);
        let _ = answer.send(in_time);
    });
    (addr, release, answered)
}

#[test]
fn client_2_prints_the_first_poem_before_the_last_has_finished_downloading() {
    for client in CLIENTS_2 {
        client_2_streams(client);
    }
}

fn client_2_streams(client: &str) {
    // Poem 1 comes from a quick server; the last poem's server sends its
    // first half and then holds the rest back until this test has read the
    // whole of poem 1 from the client's output.
    let first = SlowServer::spawn(poem("science.txt"), pacing(100, 5)).expect("a server");
    let middle = SlowServer::spawn(poem("tyger.txt"), pacing(100, 5)).expect("a server");
    let last = poem("panther.txt");
    let (head, tail) = last.split_at(last.len() / 2);
    let (held, release, answered) = held_server(head, tail);
    let ports = [first.addr().port(), middle.addr().port(), held.port()].map(|p| p.to_string());
    let mut client = Running::start(client, &[&ports[0], &ports[1], &ports[2]]);
    let science = String::from_utf8(poem("science.txt").to_vec()).expect("UTF-8");
    let mut seen = String::new();
    for _ in science.lines() {
        seen.push_str(&client.line());
        seen.push('\n');
    }
    assert_eq!(seen, science, "the first poem, line by line");
    // Only now may the last poem finish. (If the server gave up waiting,
    // it is gone, and its answer below says so.)
    let _ = release.send(());
    assert!(
        answered.recv().expect("the held server answers"),
        "the last poem's server gave up waiting: the client printed nothing of poem 1 before it"
    );
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut client.stdout, &mut rest).expect("the rest of the output");
    let expected: Vec<u8> = [
        &b"\n"[..],
        &then_blank(poem("tyger.txt")),
        &then_blank(last),
    ]
    .concat();
    assert_eq!(
        String::from_utf8_lossy(&rest),
        String::from_utf8_lossy(&expected)
    );
    assert!(client.child.wait().expect("the client ends").success());
}

#[test]
fn a_refused_port_costs_one_poem_and_the_exit_code() {
    for (client_1, client_2) in CLIENTS_1.into_iter().zip(CLIENTS_2) {
        refused_port(client_1, client_2);
    }
}

fn refused_port(client_1: &str, client_2: &str) {
    let servers = three_speeds();
    let mut ports = ports(&servers);
    let refused = closed_port().to_string();
    ports[1] = refused.clone();
    let args: Vec<&str> = ports.iter().map(String::as_str).collect();
    let failed = format!("failed to get poetry from 127.0.0.1:{refused}: cannot connect: ");

    let out = run(client_1, &args);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    let sorted = ClientOutput::sort_out(&out.stdout, &ports);
    assert!(!sorted.chunks.contains_key(&2));
    for task in [1, 3] {
        assert_eq!(sorted.chunks[&task], line_lengths(servers[task - 1].1));
    }
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(
        lines[0].starts_with(&format!("Task 2: {failed}")),
        "{}",
        out.stderr
    );
    assert_eq!(lines[1], "error: 1 of 3 downloads failed");

    let out = run(client_2, &args);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert_eq!(
        out.stdout_bytes,
        [then_blank(servers[0].1), then_blank(servers[2].1)].concat()
    );
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(lines[0].starts_with(&failed), "{}", out.stderr);
    assert_eq!(lines[1], "error: 1 of 3 downloads failed");
}

#[test]
fn client_1_gives_up_on_silent_servers() {
    for client in CLIENTS_1 {
        let out = gives_up_on_silent_servers(client, &[]);
        assert!(out.stdout.contains("Sonnet — To Science"), "{}", out.stdout);
    }
}

#[test]
fn client_2_gives_up_on_silent_servers_and_prints_the_rest() {
    for client in CLIENTS_2 {
        client_2_gives_up(client);
    }
}

fn client_2_gives_up(client: &str) {
    let good = SlowServer::spawn(poem("science.txt"), pacing(100, 10)).expect("a server");
    let silent = silent_server();
    let unanswering = Unanswering::new();
    let silent_port = silent.local_addr().expect("an address").port().to_string();
    let unanswering_port = unanswering.port.to_string();
    let good_port = good.addr().port().to_string();
    let args = [
        "--idle-timeout",
        "1",
        "--connect-timeout",
        "1",
        &silent_port,
        &unanswering_port,
        &good_port,
    ];
    let out = run(client, &args);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(out.took < Duration::from_secs(8), "took {:?}", out.took);
    assert_eq!(out.stdout_bytes, then_blank(poem("science.txt")));
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    for (line, port) in lines.iter().zip([&silent_port, &unanswering_port]) {
        assert!(
            line.starts_with(&format!("failed to get poetry from 127.0.0.1:{port}: ")),
            "{line}"
        );
        assert!(line.contains("timed out"), "{line}");
    }
    assert_eq!(lines[2], "error: 2 of 3 downloads failed");
}

#[test]
fn both_clients_refuse_bad_addresses_and_explain_themselves() {
    for client in [CLIENT_1, CLIENT_2, CLIENT_1_TOKIO, CLIENT_2_TOKIO] {
        refuses_bad_addresses(client, &[]);
        helps(
            client,
            &["<ADDRESS>", "--idle-timeout", "--connect-timeout"],
        );
    }
}

#[test]
fn a_closed_output_is_no_reason_to_panic() {
    let servers = three_speeds();
    let ports = ports(&servers);
    let ports: Vec<&str> = ports.iter().map(String::as_str).collect();
    for program in CLIENTS_1.into_iter().chain(CLIENTS_2) {
        let stderr = testkit::survives_a_closed_output(program, &ports);
        assert_eq!(stderr, "", "{program}");
    }
}
