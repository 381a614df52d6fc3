//! Proxy 3.0 against a hostile network, as proxies 1.0 and 2.0 are
//! tested: an output nobody reads does not stop it, and a silent upstream
//! is given up after `--upstream-timeout`.

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use testkit::{Neglect, NeglectedServer, serves_when_nobody_reads};

const PROXIES: [&str; 2] = [
    env!("CARGO_BIN_EXE_poetry-proxy-3"),
    env!("CARGO_BIN_EXE_poetry-proxy-3-tokio"),
];

fn fetch(port: u16) -> Vec<u8> {
    let mut socket = TcpStream::connect(("127.0.0.1", port)).expect("the proxy listens");
    let mut poem = Vec::new();
    let _ = socket.read_to_end(&mut poem);
    poem
}

#[test]
fn proxy_3_serves_with_its_output_closed_or_unread() {
    let upstream = testkit::servers(1, 100_000, 0);
    let port = upstream[0].0.addr().port().to_string();
    for program in PROXIES {
        serves_when_nobody_reads(program, &["--port", "0", &port], 2000, fetch, upstream[0].1);
    }
}

#[test]
fn proxy_3_gives_up_on_a_silent_upstream() {
    let hung = testkit::silent_server();
    let port = hung.local_addr().expect("an address").port().to_string();
    for program in PROXIES {
        let args = ["--upstream-timeout", "1", "--port", "0", &port];
        let proxy = NeglectedServer::start(program, &args, Neglect::Close);
        let started = Instant::now();
        assert!(fetch(proxy.port).is_empty(), "{program}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{program}: {:?}",
            started.elapsed()
        );
    }
}
