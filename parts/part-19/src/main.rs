//! The guided demo of part 19: the rules of `cancel` in four lines each,
//! then proxy 3.0 in this process, with a slow upstream server, a client
//! that hangs up before its poem arrives, and the download it cancels.
//!
//! ```text
//! cargo run -p part-19
//! ```

use std::net::TcpStream;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use clap::Parser;
use part_02::{Address, ServerOptions, SlowServer};
use part_03::Reactor;
use part_06::Printer;
use part_07::{Deferred, Failure, Trigger, deferred};
use part_11::listen_tcp;
use part_14::Upstream;
use part_19::{CancellingFactory, ProxyService3};

/// Part 19's guided tour: cancelling deferreds, and proxy 3.0.
#[derive(Debug, Parser)]
#[command(name = "part-19")]
struct Args {}

/// Prints what reaches the end of a chain.
fn watch(d: Deferred<&'static str>) {
    let _ = d.add_callbacks(
        |value: &str| println!("    callback got {value:?}"),
        |failure: Failure| println!("    errback got {}", failure.message()),
    );
}

fn rules() {
    println!("1. Cancel before the deferred fires: the errback gets CancelledError.");
    let (d, trigger) = deferred::<&str>();
    let handle = d.cancel_handle();
    watch(d);
    handle.cancel();
    println!(
        "   firing it afterwards is ignored: {:?}",
        trigger.callback("late")
    );

    println!("2. Cancel after it fired: nothing happens.");
    let (d, trigger) = deferred::<&str>();
    let handle = d.cancel_handle();
    watch(d);
    let _ = trigger.callback("on time");
    handle.cancel();

    println!("3. A canceller, given by whoever made the deferred, runs first:");
    let (d, _trigger) = Deferred::with_canceller(|_: &Trigger<&'static str>| {
        println!("    canceller: stopping the work");
    });
    let handle = d.cancel_handle();
    watch(d);
    handle.cancel();

    println!("4. A canceller may fire the deferred itself:");
    let (d, _trigger) = Deferred::with_canceller(|trigger: &Trigger<&'static str>| {
        let _ = trigger.callback("a default poem");
    });
    let handle = d.cancel_handle();
    watch(d);
    handle.cancel();
    println!();
}

/// Proxy 3.0 with a slow upstream, and a client that gives up.
fn proxy() -> Result<(), String> {
    println!("5. Proxy 3.0: a client hangs up before its poem arrives.");
    let poem: &'static [u8] = part_02::poem::demo_poems(1)[0].1;
    let pacing = ServerOptions {
        num_bytes: 10,
        delay: Duration::from_millis(50),
    };
    let slow = SlowServer::spawn(poem, pacing).map_err(|e| e.to_string())?;
    let reactor = Reactor::new().map_err(|e| e.to_string())?;
    let log = Printer::new(|_, line| println!("    proxy: {line}"));
    let upstream = Upstream::new(&reactor, Address::from(slow.addr()), slow.addr());
    let service = ProxyService3::new(upstream, None, true, log.clone());
    let source = std::rc::Rc::clone(&service);
    let factory = CancellingFactory::new(move || source.get_poem(), log);
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory).map_err(|e| e.to_string())?;
    let addr = port.local_addr();
    let handle = reactor.handle();
    let client = thread::spawn(move || {
        let result = TcpStream::connect(addr).map(|socket| {
            thread::sleep(Duration::from_millis(300));
            println!("    client: hanging up after 0.3 s, before the poem has come");
            drop(socket);
        });
        // Time for the proxy to see the hang-up and cancel.
        thread::sleep(Duration::from_millis(200));
        let _ = handle.stop();
        result
    });
    reactor.run().map_err(|e| e.to_string())?;
    match client.join() {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return Err(format!("the client cannot connect: {error}")),
        Err(_) => return Err("the client thread panicked".into()),
    }
    println!(
        "    downloads started: {}, cancelled: {}",
        service.downloads(),
        service.cancelled()
    );
    println!();
    println!("What to notice: the cancel travelled from the client's connection,");
    println!("through its deferred and the shared download's, to the socket to the");
    println!("slow server, which was closed. Run `--bin poetry-proxy-3` to try it.");
    Ok(())
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    rules();
    match proxy() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
