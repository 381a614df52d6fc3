//! The guided demo of part 14: `cargo run -p part-14`.
//!
//! First, deferreds that have fired before anyone sees them: `succeed`,
//! `fail`, and `maybe_deferred` with each kind of answer. Then the caching
//! proxies, inside this process: an upstream poetry server that counts its
//! connections and answers slowly, a proxy on our reactor, and plain
//! `std::net` clients on another thread, several at once. Proxy 1.0 goes
//! upstream once per client that asks before the poem is cached; proxy 2.0
//! goes once for all of them, fetches again when the poem is too old, and
//! survives an upstream server that is down. Last, the tokio proxy does
//! the same as proxy 2.0.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::ExitCode;
use std::rc::Rc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use clap::Parser;
use part_01::timeline::format_secs;
use part_02::demo::closed_port;
use part_02::{Address, cli, demo_poems};
use part_03::Reactor;
use part_06::Printer;
use part_07::{Deferred, Failure, fail, maybe_deferred, succeed};
use part_11::listen_tcp;
use part_14::{
    CountingServer, ProxyFactory, ProxyService1, ProxyService2, TokioProxy, Upstream, tokio_proxy,
};

/// Part 14 — When a deferred isn't: deferreds fired before they are
/// returned, then the caching poetry proxies, 1.0, 2.0 and on tokio, with
/// an upstream server that counts how often it is asked.
#[derive(Debug, Parser)]
#[command(name = "part-14", version)]
struct Args {
    /// How many clients ask the proxies at the same moment.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=8))]
    clients: u8,
    /// Milliseconds the upstream server waits before it answers.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(10..=2000))]
    delay_ms: u64,
}

/// One step of the demo.
type Step = fn(usize, Duration, &'static [u8]) -> Result<(), String>;

/// What the demo's clients got: the bytes each read before the proxy
/// closed its connection.
type Got = Vec<Vec<u8>>;

fn main() -> ExitCode {
    let args = Args::parse();
    let clients = usize::from(args.clients);
    let delay = Duration::from_millis(args.delay_ms);
    let (name, poem) = demo_poems(1)[0];

    println!("Part 14 — When a deferred isn't");
    println!();
    fired_already();

    println!();
    println!(
        "The upstream poetry server serves {name} ({} bytes), {} after a client connects,",
        poem.len(),
        format_secs(delay)
    );
    println!("and counts its connections. The proxies' log lines are marked `proxy:`.");
    let steps: [(&str, Step); 4] = [
        ("proxy 1.0", proxy_1),
        ("proxy 2.0", proxy_2),
        ("an unreachable upstream", unreachable),
        ("the tokio proxy", tokio),
    ];
    for (what, step) in steps {
        println!();
        if let Err(problem) = step(clients, delay, poem) {
            return cli::fail(format_args!("{what}: {problem}"));
        }
    }

    println!();
    println!("What to notice:");
    println!("- A deferred fired before it is returned runs each callback as it is added:");
    println!("  the caller's code looks the same whether the answer was ready or not.");
    println!("- Proxy 1.0 had two states, cached or not, so every client that came during");
    println!("  the first download started one of its own.");
    println!("- Proxy 2.0's third state, fetching, keeps the waiting clients' triggers:");
    println!("  one download, and every waiting client hears how it ended.");
    println!("- A failed download leaves the cache empty, so the next client tries again.");
    println!("- On tokio the waiting clients share a watch channel instead of triggers.");
    ExitCode::SUCCESS
}

/// Step 1: `succeed`, `fail` and `maybe_deferred`.
fn fired_already() {
    println!("1. Deferreds that fire before they are returned.");
    // ANCHOR: demo_succeed
    let d: Deferred<&str> = succeed("a cached poem");
    println!(
        "   succeed(\"a cached poem\") returned; is it fired? {}",
        d.is_called()
    );
    let _ = d.add_callback(|poem: &str| {
        println!("   the callback runs inside add_callback, with {poem:?}");
    });
    println!("   add_callback has returned.");
    // ANCHOR_END: demo_succeed
    let _ = fail::<&str>(Failure::msg("no poem today")).add_errback(|failure: Failure| {
        println!("   fail(…): the errback runs at once, with {failure}");
        Ok("")
    });
    println!("   maybe_deferred with each kind of answer:");
    let answers: [(&str, Deferred<u32>); 3] = [
        ("a value", maybe_deferred(|| Ok::<u32, Failure>(7))),
        (
            "a failure",
            maybe_deferred(|| Err::<u32, _>(Failure::msg("none"))),
        ),
        (
            "a deferred, not fired",
            maybe_deferred(|| part_07::deferred::<u32>().0),
        ),
    ];
    for (kind, d) in answers {
        println!(
            "     {kind:<22} → a deferred, fired already: {}",
            d.is_called()
        );
        let _ = d.add_errback(|_| Ok(0));
    }
}

/// A log that marks the proxy's lines, all on standard output (so that
/// they keep their order with the demo's own lines).
fn proxy_log() -> Printer {
    Printer::new(|_, line| println!("   proxy: {line}"))
}

/// Connects `n` clients at once, here and now (the kernel completes a
/// connection before the server accepts it), then reads each on another
/// thread until the proxy closes it. Connecting before the reactor runs
/// makes the proxy see all of them in one go, the same way on every run.
fn clients_at_once(addr: SocketAddr, n: usize) -> JoinHandle<std::io::Result<Got>> {
    let sockets = (0..n)
        .map(|_| {
            let socket = TcpStream::connect(addr)?;
            socket.set_read_timeout(Some(Duration::from_secs(10)))?;
            Ok(socket)
        })
        .collect::<std::io::Result<Vec<_>>>();
    thread::spawn(move || {
        sockets?
            .into_iter()
            .map(|mut socket| {
                let mut poem = Vec::new();
                socket.read_to_end(&mut poem)?;
                Ok(poem)
            })
            .collect()
    })
}

/// Runs `reactor` until `clients` have finished (looking every 5 ms), and
/// returns what they got.
fn run_clients(
    reactor: &Reactor,
    clients: JoinHandle<std::io::Result<Got>>,
) -> Result<Got, String> {
    let clients = Rc::new(std::cell::RefCell::new(Some(clients)));
    let result = Rc::new(std::cell::RefCell::new(None));
    fn check(
        reactor: Reactor,
        clients: Rc<std::cell::RefCell<Option<JoinHandle<std::io::Result<Got>>>>>,
        result: Rc<std::cell::RefCell<Option<Result<Got, String>>>>,
    ) {
        let finished = clients.borrow().as_ref().is_none_or(|c| c.is_finished());
        if finished {
            let joined = clients.borrow_mut().take().map(|c| match c.join() {
                Ok(got) => got.map_err(|e| format!("a client failed: {e}")),
                Err(_) => Err("a client panicked".to_string()),
            });
            *result.borrow_mut() = joined;
            let _ = reactor.stop();
        } else {
            let again = reactor.clone();
            let _ = reactor.call_later(Duration::from_millis(5), move || {
                check(again, clients, result)
            });
        }
    }
    let (r, c, res) = (reactor.clone(), Rc::clone(&clients), Rc::clone(&result));
    reactor.call_when_running(move || check(r, c, res));
    reactor
        .run()
        .map_err(|e| format!("the reactor failed: {e}"))?;
    result
        .borrow_mut()
        .take()
        .unwrap_or_else(|| Err("the clients never finished".to_string()))
}

/// One line about what the clients got.
fn report(got: &Got, poem: &[u8]) {
    let whole = got.iter().filter(|p| p.as_slice() == poem).count();
    let empty = got.iter().filter(|p| p.is_empty()).count();
    let (n, s) = (got.len(), if got.len() == 1 { "" } else { "s" });
    println!(
        "   {n} client{s}: {whole} got the whole poem, {empty} a closed connection without one."
    );
}

fn upstream_server(poem: &'static [u8], delay: Duration) -> Result<CountingServer, String> {
    CountingServer::spawn(poem, delay).map_err(|e| format!("cannot start the upstream: {e}"))
}

fn upstream(reactor: &Reactor, addr: SocketAddr) -> Upstream {
    Upstream::new(reactor, Address::from(addr), addr)
}

fn new_reactor() -> Result<Reactor, String> {
    Reactor::new().map_err(|e| format!("cannot create a reactor: {e}"))
}

/// Step 2: proxy 1.0 and its flaw.
fn proxy_1(clients: usize, delay: Duration, poem: &'static [u8]) -> Result<(), String> {
    let server = upstream_server(poem, delay)?;
    let reactor = new_reactor()?;
    let service = ProxyService1::new(upstream(&reactor, server.addr()), proxy_log());
    let source = Rc::clone(&service);
    let factory = ProxyFactory::new(move || source.poem_deferred(), proxy_log());
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory).map_err(|e| e.to_string())?;
    println!(
        "2. Proxy 1.0 (a cache and maybe_deferred) on {}.",
        port.local_addr()
    );
    println!("   {clients} clients ask at the same moment, before anything is cached:");
    let got = run_clients(&reactor, clients_at_once(port.local_addr(), clients))?;
    report(&got, poem);
    println!("   One more client, afterwards:");
    let got = run_clients(&reactor, clients_at_once(port.local_addr(), 1))?;
    report(&got, poem);
    println!(
        "   The upstream server was asked {} times for {} clients: once per client that",
        server.accepted(),
        clients + 1
    );
    println!("   came before the poem was cached.");
    port.stop_listening();
    Ok(())
}

/// Step 3: proxy 2.0, single-flight and a maximum age.
fn proxy_2(clients: usize, delay: Duration, poem: &'static [u8]) -> Result<(), String> {
    let server = upstream_server(poem, delay)?;
    let reactor = new_reactor()?;
    // Long enough that the client right after the download finds the
    // poem fresh, however busy the machine.
    let max_age = delay * 2;
    let service = ProxyService2::new(
        upstream(&reactor, server.addr()),
        Some(max_age),
        true,
        proxy_log(),
    );
    let source = Rc::clone(&service);
    let factory = ProxyFactory::new(move || source.get_poem(), proxy_log());
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory).map_err(|e| e.to_string())?;
    println!(
        "3. Proxy 2.0 (pre-fired deferreds, single-flight, max age {}) on {}.",
        format_secs(max_age),
        port.local_addr()
    );
    println!("   {clients} clients ask at the same moment, before anything is cached:");
    let got = run_clients(&reactor, clients_at_once(port.local_addr(), clients))?;
    report(&got, poem);
    println!("   One more client, at once:");
    let got = run_clients(&reactor, clients_at_once(port.local_addr(), 1))?;
    report(&got, poem);
    println!(
        "   Upstream connections so far: {} (state: {}).",
        server.accepted(),
        service.state_name()
    );
    println!("   Waiting until the poem is older than its maximum age; then one client:");
    thread::sleep(max_age + Duration::from_millis(50));
    let got = run_clients(&reactor, clients_at_once(port.local_addr(), 1))?;
    report(&got, poem);
    println!("   Upstream connections: {}.", server.accepted());
    port.stop_listening();
    Ok(())
}

/// Step 4: proxy 2.0 with its upstream server down, then up.
fn unreachable(clients: usize, delay: Duration, poem: &'static [u8]) -> Result<(), String> {
    let addr = closed_port().map_err(|e| format!("cannot find a free port: {e}"))?;
    let reactor = new_reactor()?;
    let service = ProxyService2::new(upstream(&reactor, addr), None, true, proxy_log());
    let source = Rc::clone(&service);
    let factory = ProxyFactory::new(move || source.get_poem(), proxy_log());
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory).map_err(|e| e.to_string())?;
    println!("4. Proxy 2.0 again, but nothing listens upstream yet.");
    println!("   {clients} clients ask at the same moment:");
    let got = run_clients(&reactor, clients_at_once(port.local_addr(), clients))?;
    report(&got, poem);
    println!("   The upstream server starts; one more client:");
    let server = CountingServer::spawn_on(addr.port(), poem, delay)
        .map_err(|e| format!("cannot start the upstream: {e}"))?;
    let got = run_clients(&reactor, clients_at_once(port.local_addr(), 1))?;
    report(&got, poem);
    println!(
        "   Upstream connections once it was up: {} (state: {}).",
        server.accepted(),
        service.state_name()
    );
    port.stop_listening();
    Ok(())
}

/// Step 5: the tokio proxy, single-flight.
fn tokio(clients: usize, delay: Duration, poem: &'static [u8]) -> Result<(), String> {
    let server = upstream_server(poem, delay)?;
    let listener = part_02::server::bind((Ipv4Addr::LOCALHOST, 0).into())
        .map_err(|e| format!("cannot listen: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let proxy = TokioProxy::new(
        server.addr().to_string(),
        server.addr(),
        Default::default(),
        None,
        true,
        proxy_log(),
    );
    println!("5. The tokio proxy on {addr}.");
    println!("   {clients} clients ask at the same moment, then one more:");
    let (done, finished) = tokio::sync::oneshot::channel();
    let first = clients_at_once(addr, clients);
    let clients = thread::spawn(move || {
        let first = first.join();
        let second = clients_at_once(addr, 1).join();
        let _ = done.send(());
        (first, second)
    });
    tokio_proxy::serve_until(listener, Rc::clone(&proxy), async {
        let _ = finished.await;
    })
    .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let (first, second) = clients.join().map_err(|_| "the clients panicked")?;
    for got in [first, second] {
        match got {
            Ok(Ok(got)) => report(&got, poem),
            Ok(Err(e)) => return Err(format!("a client failed: {e}")),
            Err(_) => return Err("a client panicked".to_string()),
        }
    }
    println!(
        "   Upstream connections: {} (downloads started: {}).",
        server.accepted(),
        proxy.downloads()
    );
    Ok(())
}
