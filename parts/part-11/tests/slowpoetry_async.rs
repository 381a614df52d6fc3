//! `slowpoetry-async` on the wire, checked with plain `std::net` clients,
//! as part 2's `slowpoetry` is checked: the exact bytes, the chunk size,
//! the pacing, the close, a client that hangs up; and what part 2's server
//! cannot do, several clients served at the same time. Its answers to bad
//! input are part 2's.

use std::io::Read;
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use part_02::SlowServer;
use testkit::{
    Running, connect, pacing, poem, poem_path, read_all, read_paced, slow_server_helps,
    slow_server_refuses_bad_input, start_server,
};

const SERVER: &str = env!("CARGO_BIN_EXE_slowpoetry-async");

/// Starts the server on the bundled poem `name`, in chunks of `num_bytes`
/// bytes `delay` seconds apart (as written on its command line).
fn start_paced(num_bytes: &str, delay: &str, name: &str) -> (Running, u16) {
    start_server(
        SERVER,
        &["--num-bytes", num_bytes, "--delay", delay, &poem_path(name)],
    )
}

#[test]
fn sends_the_poem_byte_for_byte_in_paced_chunks_then_closes() {
    let expected = poem("panther.txt");
    let num_bytes = 100;
    let (mut server, port) = start_paced("100", "0.1", "panther.txt");
    let (socket, chunks) = read_paced(port, expected, pacing(num_bytes, 100));

    let me = socket.local_addr().unwrap();
    assert_eq!(server.line(), format!("Somebody at {me} wants poetry!"));
    for _ in 0..chunks - 1 {
        assert_eq!(server.line(), format!("Sending 100 bytes to {me}"));
    }
    assert_eq!(
        server.line(),
        format!("Sending {} bytes to {me}", expected.len() % num_bytes)
    );
    assert_eq!(
        server.line(),
        format!("Sent {} bytes to {me}; closing.", expected.len())
    );
}

/// Reads a whole poem from part 2's blocking server (the code of its
/// `slowpoetry`, on a thread) and from this one at the same pace, and
/// compares what arrived: the same bytes, in reads of the same sizes.
#[test]
fn is_wire_compatible_with_part_2s_slowpoetry() {
    let expected = poem("science.txt");
    let blocking = SlowServer::spawn(expected, pacing(37, 20)).unwrap();
    let (_server, port) = start_paced("37", "0.02", "science.txt");
    let mut seen = Vec::new();
    for port in [blocking.addr().port(), port] {
        let (got, reads) = read_all(&mut connect(port));
        let sizes: Vec<usize> = reads.iter().map(|&(_, n)| n).collect();
        seen.push((got, sizes));
    }
    assert_eq!(seen[0].0, expected);
    assert_eq!(seen[0].1.len(), expected.len().div_ceil(37));
    assert_eq!(seen[0], seen[1]);
}

#[test]
fn serves_several_clients_at_the_same_time() {
    let expected = poem("panther.txt"); // 6 chunks of 100: 0.5 s each
    let (_server, port) = start_paced("100", "0.1", "panther.txt");
    let started = Instant::now();
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let mut socket = connect(port);
            thread::spawn(move || read_all(&mut socket))
        })
        .collect();
    let runs: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let took = started.elapsed();
    for (got, _) in &runs {
        assert_eq!(*got, expected);
    }
    // Their timelines overlap: every client's first chunk came before any
    // client's last one. In turn, they would take 4 × 0.5 s.
    let first_chunks = runs.iter().map(|(_, reads)| reads[0].0);
    let last_chunks = runs.iter().map(|(_, reads)| reads[reads.len() - 1].0);
    assert!(first_chunks.max() < last_chunks.min(), "served in turn");
    assert!(took < Duration::from_millis(1500), "took {took:?}");
}

#[test]
fn a_client_that_hangs_up_has_its_next_chunk_cancelled_and_the_others_go_on() {
    let expected = poem("science.txt");
    let (mut server, port) = start_paced("20", "0.05", "science.txt");
    // One patient client, already being served when the other quits.
    let mut patient = connect(port);
    let patient_addr = patient.local_addr().unwrap();
    let reader = thread::spawn(move || read_all(&mut patient).0);

    let mut quitter = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let quitter_addr = quitter.local_addr().unwrap();
    let mut first = [0; 20];
    quitter.read_exact(&mut first).unwrap();
    assert_eq!(first, expected[..20]);
    drop(quitter);

    assert_eq!(reader.join().unwrap(), expected, "the patient client");
    let mut hung_up = None;
    loop {
        let line = server.line();
        if line.starts_with(&format!("{quitter_addr} hung up")) {
            hung_up = Some(line);
        } else if line == format!("Sent {} bytes to {patient_addr}; closing.", expected.len()) {
            break;
        }
    }
    let line = hung_up.expect("the server reports the hang-up");
    assert!(
        line.contains(&format!(" of {} bytes sent (", expected.len()))
            && line.ends_with("; its next chunk is cancelled."),
        "{line}"
    );
    // And it goes on serving.
    assert_eq!(read_all(&mut connect(port)).0, expected);
}

#[test]
fn help_lists_the_series_options_and_defaults() {
    slow_server_helps(SERVER);
}

#[test]
fn bad_input_is_one_clear_error() {
    slow_server_refuses_bad_input(SERVER);
}
