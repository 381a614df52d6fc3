//! Part 21, `lazy-3`: a stream of lines pulls bytes only when it is
//! polled. The reader hands out a poem in small chunks and says each time
//! it is asked for bytes; the loop says each line it gets. Reads happen
//! only when the loop wants a line that is not complete yet.
//!
//! `cargo run -p part-21 --example lazy-3`

use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use futures::StreamExt;
use futures::executor::block_on;
use futures::io::AsyncRead;
use part_21::lines;

/// Hands out `text` `size` bytes at a time, saying so each time.
struct Trickle {
    text: &'static [u8],
    size: usize,
}

impl AsyncRead for Trickle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<std::io::Result<usize>> {
        let n = self.size.min(self.text.len()).min(buf.len());
        let (chunk, rest) = self.text.split_at(n);
        buf[..n].copy_from_slice(chunk);
        println!("    read {:?}", String::from_utf8_lossy(chunk));
        self.text = rest;
        Poll::Ready(Ok(n))
    }
}

fn main() {
    // ANCHOR: main
    let socket = Trickle {
        text: b"Tyger Tyger, burning bright,\nIn the forests\nof the night;\n",
        size: 16,
    };
    let lines = lines(socket);
    println!("built the stream: nothing read yet");
    block_on(async {
        let mut lines = pin!(lines);
        while let Some(line) = lines.next().await {
            let line = line.expect("an in-memory reader does not fail");
            println!("line {:?}", String::from_utf8_lossy(&line));
        }
    });
    // ANCHOR_END: main
}
