//! Exercise 2 of part 22: the smallest tokio poetry client that still
//! passes the tour's check. One future per server, all polled together on
//! a single-threaded runtime; each prints its chunks as they come, and the
//! sizes are printed at the end. What it leaves out is the exercise's
//! point: no timeouts, no `--help`, and any error ends the program.
//!
//! ```text
//! cargo run -p part-22 --example part22-ex2-tiny-tokio -- 10000 10001 10002
//! ```

// ANCHOR: tiny
use futures::future::try_join_all;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

async fn get_poem(task: usize, addr: String) -> std::io::Result<Vec<u8>> {
    let mut socket = TcpStream::connect(&addr).await?;
    let (mut poem, mut chunk) = (Vec::new(), [0; 4096]);
    loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(poem);
        }
        println!("Task {task}: got {n} bytes of poetry from {addr}");
        poem.extend_from_slice(&chunk[..n]);
    }
}

fn main() -> std::io::Result<()> {
    let addrs = std::env::args().skip(1).map(|a| match a.contains(':') {
        true => a,
        false => format!("127.0.0.1:{a}"),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let tasks = addrs.enumerate().map(|(i, addr)| get_poem(i + 1, addr));
    let poems = runtime.block_on(try_join_all(tasks))?;
    for (task, poem) in poems.iter().enumerate() {
        println!("Task {}: {} bytes of poetry", task + 1, poem.len());
    }
    Ok(())
}
// ANCHOR_END: tiny
