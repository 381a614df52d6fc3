//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module, and its solution is
//! run against slow servers on free ports.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use part_02::cli::Timeouts;
use part_02::{Address, FetchError, SlowServer, async_client};
use testkit::{closed_port, pacing, poem};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part02-ex1-whole-poems.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part02-ex2-timeout.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part02-ex3-threaded-server.rs"]
mod ex3;

/// Exercise 1: both poems are printed whole, as text, after the chunk lines,
/// even though the chunks cut multi-byte characters in two.
#[test]
fn ex1_prints_every_poem_whole_after_the_chunks() {
    let (panther, science) = (poem("panther.txt"), poem("science.txt"));
    // 7 and 5 bytes: chunk boundaries fall inside umlauts and the em dash.
    let servers = [
        SlowServer::spawn(panther, pacing(7, 1)).unwrap(),
        SlowServer::spawn(science, pacing(5, 1)).unwrap(),
    ];
    let sockets: Vec<SocketAddr> = servers.iter().map(SlowServer::addr).collect();
    let addresses: Vec<Address> = sockets.iter().copied().map(Address::from).collect();

    let mut out = Vec::new();
    let failed = ex1::fetch_and_print(&sockets, &addresses, &mut out).unwrap();
    assert_eq!(failed, 0);
    let out = String::from_utf8(out).expect("the output is UTF-8");
    assert!(!out.contains('\u{FFFD}'), "a character was broken:\n{out}");

    let panther_text = std::str::from_utf8(panther).unwrap().trim_end();
    let science_text = std::str::from_utf8(science).unwrap().trim_end();
    let at_panther = out.find(panther_text).expect("panther.txt printed whole");
    let at_science = out.find(science_text).expect("science.txt printed whole");
    assert!(
        at_panther < at_science,
        "poems in the order of the addresses"
    );

    let header = format!("Task 1: {} bytes of poetry:", panther.len());
    let at_header = out.find(&header).expect("a header before each poem");
    let last_chunk = out.rfind(" bytes of poetry from ").unwrap();
    assert!(
        last_chunk < at_header,
        "the poems come after every chunk line"
    );
    let chunk_lines = out
        .lines()
        .filter(|l| l.contains(" bytes of poetry from "))
        .count();
    assert!(chunk_lines >= 2, "{out}");
}

/// Exercise 2: a quick server's poem arrives, a slow one is cut off at the
/// deadline with what it had sent, a refused one fails to connect, and the
/// whole thing ends at the deadline, not when the slow server would.
#[test]
fn ex2_gives_up_on_slow_servers_at_the_deadline() {
    let quick = SlowServer::spawn(poem("science.txt"), pacing(200, 5)).unwrap();
    let slow = SlowServer::spawn(poem("tyger.txt"), pacing(10, 5_000)).unwrap();
    let refused = SocketAddr::from((Ipv4Addr::LOCALHOST, closed_port()));
    let limit = Duration::from_millis(400);

    let start = Instant::now();
    let results = ex2::get_poetry_within(&[quick.addr(), slow.addr(), refused], limit).unwrap();
    let took = start.elapsed();

    assert_eq!(results[0].as_deref().unwrap(), poem("science.txt"));
    assert!(
        matches!(results[1], Err(ex2::Failure::TimedOut { received: 10 })),
        "{:?}",
        results[1]
    );
    assert_eq!(
        results[1].as_ref().unwrap_err().to_string(),
        "timed out after 10 bytes"
    );
    assert!(
        matches!(results[2], Err(ex2::Failure::Fetch(FetchError::Connect(_)))),
        "{:?}",
        results[2]
    );
    assert!(took >= limit, "ended early: {took:?}");
    assert!(
        took < Duration::from_secs(3),
        "did not stop at the deadline: {took:?}"
    );
}

/// Exercise 2: with time to spare, nothing times out.
#[test]
fn ex2_with_time_to_spare_gets_every_poem() {
    let server = SlowServer::spawn(poem("panther.txt"), pacing(100, 5)).unwrap();
    let results = ex2::get_poetry_within(&[server.addr()], Duration::from_secs(20)).unwrap();
    assert_eq!(results[0].as_deref().unwrap(), poem("panther.txt"));
}

/// Exercise 3: three clients of one threaded server take about as long as
/// one; three clients of one blocking server take three times as long.
#[test]
fn ex3_serves_several_clients_at_once() {
    let science = poem("science.txt");
    let options = pacing(40, 30);
    let chunks = science.len().div_ceil(options.num_bytes) as u32;
    let one_download = options.delay * (chunks - 1);

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let threaded = listener.local_addr().unwrap();
    let poem: Arc<[u8]> = science.into();
    // Serves until the test process ends.
    thread::spawn(move || ex3::serve_threaded(&listener, poem, options));

    let start = Instant::now();
    let results = async_client::get_poetry(&[threaded; 3], &Timeouts::default(), |_| {}).unwrap();
    let took = start.elapsed();
    for result in &results {
        assert_eq!(result.as_deref().unwrap(), science);
    }
    assert!(took >= one_download, "{took:?}");
    assert!(
        took < one_download * 2,
        "three clients took {took:?}; one takes {one_download:?}"
    );

    // The same three clients on the blocking server wait their turns.
    let blocking = SlowServer::spawn(science, options).unwrap();
    let start = Instant::now();
    let results =
        async_client::get_poetry(&[blocking.addr(); 3], &Timeouts::default(), |_| {}).unwrap();
    let took = start.elapsed();
    assert!(results.iter().all(|r| r.as_deref().ok() == Some(science)));
    assert!(took >= one_download * 3, "{took:?}");
}
