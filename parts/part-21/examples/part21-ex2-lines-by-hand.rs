//! Part 21, exercise 2: the stream of lines written by hand, as a struct
//! with a `poll_next`, and checked against the library's `lines` on a
//! poem that arrives in awkward chunks.
//!
//! `cargo run -p part-21 --example part21-ex2-lines-by-hand`

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::executor::block_on;
use futures::io::AsyncRead;
use futures::{Stream, TryStreamExt};
use part_21::lines::{LineSplitter, MAX_LINE, READ_SIZE, lines};

// ANCHOR: by_hand
/// The lines of `reader`, polled by hand.
struct Lines<R> {
    reader: R,
    splitter: LineSplitter,
    buffer: Vec<u8>,
    done: bool,
}

impl<R: AsyncRead + Unpin> Stream for Lines<R> {
    type Item = io::Result<Vec<u8>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut(); // every field is Unpin
        loop {
            if this.done {
                return Poll::Ready(this.splitter.finish().map(Ok));
            }
            match this.splitter.next_line() {
                Ok(Some(line)) => return Poll::Ready(Some(Ok(line))),
                Ok(None) => {}
                Err(too_long) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(too_long.into())));
                }
            }
            // No whole line yet: read. Pending passes our waker on to the
            // reader, who calls it when there is more to read.
            match Pin::new(&mut this.reader).poll_read(cx, &mut this.buffer) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(0)) => this.done = true,
                Poll::Ready(Ok(n)) => this.splitter.push(&this.buffer[..n]),
                Poll::Ready(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

fn lines_by_hand<R: AsyncRead + Unpin>(reader: R) -> Lines<R> {
    Lines {
        reader,
        splitter: LineSplitter::new(MAX_LINE),
        buffer: vec![0; READ_SIZE],
        done: false,
    }
}
// ANCHOR_END: by_hand

/// Hands out its bytes `size` at a time.
struct Chunks(&'static [u8], usize);

impl AsyncRead for Chunks {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let n = self.1.min(self.0.len()).min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Poll::Ready(Ok(n))
    }
}

fn main() {
    let poem = include_bytes!("../../../poetry/tyger.txt");
    for size in [1, 7, 4096] {
        let mine: Vec<Vec<u8>> =
            block_on(lines_by_hand(Chunks(poem, size)).try_collect()).expect("no error");
        let library: Vec<Vec<u8>> =
            block_on(lines(Chunks(poem, size)).try_collect()).expect("no error");
        let same = if mine == library {
            "the same"
        } else {
            "DIFFERENT"
        };
        println!("chunks of {size}: {} lines, {same} as lines()", mine.len());
    }
}
