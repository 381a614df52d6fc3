//! The solutions to the chapter's exercises, checked: each example is
//! compiled into this test as a module, its services run on a reactor in
//! the test, and its log is captured to find its ports.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use part_03::Reactor;
use part_16::{Application, PluginContext, ServiceMaker};
use tracing_subscriber::fmt::MakeWriter;

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part16-ex1-two-poems.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part16-ex2-second-poem-plugin.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part16-ex3-proxy-plugin.rs"]
mod ex3;

/// A log kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Every port the log says a service listens on, in order.
    fn ports(&self) -> Vec<u16> {
        self.text()
            .lines()
            .filter_map(|line| line.split("listening on port ").nth(1))
            .map(|port| port.trim().parse().unwrap())
            .collect()
    }
}

/// Runs `f` with this thread's `tracing` events going to a captured log.
fn logged<R>(f: impl FnOnce(&Captured) -> R) -> R {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(log.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || f(&log))
}

fn poem_path(name: &str) -> PathBuf {
    testkit::workspace_root().join("poetry").join(name)
}

/// Downloads from `ports` on a thread, then stops the application's
/// reactor; runs the reactor meanwhile. Returns what each port gave.
fn download_then_stop(
    reactor: &Reactor,
    application: &Application,
    ports: Vec<u16>,
) -> Vec<Vec<u8>> {
    application.stop_on_shutdown(reactor);
    let handle = reactor.handle();
    let clients = std::thread::spawn(move || {
        let poems: Vec<Vec<u8>> = ports
            .iter()
            .map(|port| {
                let mut poem = Vec::new();
                let mut socket = TcpStream::connect(("127.0.0.1", *port)).unwrap();
                socket
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                socket.read_to_end(&mut poem).unwrap();
                poem
            })
            .collect();
        handle.stop().unwrap();
        poems
    });
    testkit::run_within(reactor, Duration::from_secs(20));
    clients.join().unwrap()
}

#[test]
fn ex1_serves_two_poems_from_two_trees() {
    logged(|log| {
        let reactor = Reactor::new().unwrap();
        let (application, ports) = ex1::two_poems(
            &reactor,
            (poem_path("science.txt"), 0),
            (poem_path("ecstasy.txt"), 0),
        )
        .unwrap();
        application.start().unwrap();
        let ports: Vec<u16> = ports
            .iter()
            .map(|p| p.local_addr().unwrap().port())
            .collect();
        let poems = download_then_stop(&reactor, &application, ports);
        assert_eq!(poems[0], std::fs::read(poem_path("science.txt")).unwrap());
        assert_eq!(poems[1], std::fs::read(poem_path("ecstasy.txt")).unwrap());
        // The second tree stops first, all of it, then the first.
        testkit::assert_in_order(
            &log.text(),
            &[
                "stopping second",
                "stopped second",
                "stopping first",
                "stopped first",
            ],
        );
    });
}

#[test]
fn ex1_two_trees_of_one_name_are_refused() {
    let reactor = Reactor::new().unwrap();
    let application = Application::new("two");
    let deadline = Duration::from_secs(1);
    let one = part_16::poetry::fastpoetry_service(
        &reactor,
        poem_path("science.txt"),
        ("127.0.0.1", 0),
        deadline,
    );
    let two = part_16::poetry::fastpoetry_service(
        &reactor,
        poem_path("ecstasy.txt"),
        ("127.0.0.1", 0),
        deadline,
    );
    application.add(one.unwrap()).unwrap();
    let error = application.add(two.unwrap()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "two already has a service called fastpoetry"
    );
}

/// Makes and starts a plugin's service from its command line.
fn start_plugin(plugin: &dyn ServiceMaker, reactor: &Reactor, args: &[&str]) -> Application {
    let matches = plugin.options().try_get_matches_from(args).unwrap();
    let context = PluginContext {
        reactor: reactor.clone(),
        shutdown_timeout: Duration::from_secs(5),
    };
    let application = Application::new(plugin.name());
    application
        .add(plugin.make_service(&context, &matches).unwrap())
        .unwrap();
    application.start().unwrap();
    application
}

#[test]
fn ex2_serves_a_second_poem_when_asked() {
    let science = poem_path("science.txt");
    let ecstasy = poem_path("ecstasy.txt");
    let one = [
        "fastpoetry",
        "--port",
        "0",
        "--poem",
        science.to_str().unwrap(),
    ];
    let second = ["--poem2", ecstasy.to_str().unwrap(), "--port2", "0"];
    logged(|log| {
        let reactor = Reactor::new().unwrap();
        let args = [&one[..], &second[..]].concat();
        let application = start_plugin(&ex2::TwoPoemPlugin, &reactor, &args);
        let ports = log.ports();
        assert_eq!(ports.len(), 2, "two ports:\n{}", log.text());
        let poems = download_then_stop(&reactor, &application, ports);
        assert_eq!(poems[0], std::fs::read(&science).unwrap());
        assert_eq!(poems[1], std::fs::read(&ecstasy).unwrap());
    });
    logged(|log| {
        let reactor = Reactor::new().unwrap();
        let application = start_plugin(&ex2::TwoPoemPlugin, &reactor, &one);
        assert_eq!(log.ports().len(), 1, "one poem, one port");
        drop(application);
    });
    // A second port with no second poem is a mistake, said at once.
    let error = ex2::TwoPoemPlugin
        .options()
        .try_get_matches_from(["fastpoetry", "--poem", "a.txt", "--port2", "7"])
        .unwrap_err();
    assert!(error.to_string().contains("--poem2"), "{error}");
}

#[test]
fn ex3_the_proxy_plugin_serves_the_upstream_poem() {
    let poem = testkit::poem("science.txt");
    let upstream = part_11::AsyncSlowServer::spawn(poem, testkit::pacing(200, 1)).unwrap();
    let upstream_port = upstream.addr().port().to_string();
    logged(|log| {
        let reactor = Reactor::new().unwrap();
        let args = ["poetry-proxy", "--port", "0", &upstream_port];
        let application = start_plugin(&ex3::ProxyPlugin, &reactor, &args);
        let port = log.ports()[0];
        let poems = download_then_stop(&reactor, &application, vec![port, port]);
        assert_eq!(poems, [poem.to_vec(), poem.to_vec()]);
        assert_eq!(upstream.poems_served(), 1, "the second came from the cache");
    });
}
