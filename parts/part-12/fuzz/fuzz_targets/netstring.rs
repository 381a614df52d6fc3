//! Fuzzes the netstring codec: any bytes, split anywhere, must never make it
//! panic; and whatever it decodes must re-encode to exactly the bytes it
//! consumed.

#![no_main]

use libfuzzer_sys::fuzz_target;
use part_12::netstring::{Decoder, Parsed, encode, parse};

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the read size, the rest is the stream.
    let Some((&split, stream)) = data.split_first() else {
        return;
    };
    let max = 64;
    let mut decoder = Decoder::new(max);
    let mut decoded = Vec::new();
    'reading: for chunk in stream.chunks(usize::from(split).max(1)) {
        decoder.push(chunk);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => decoded.push(message),
                Ok(None) => break,
                Err(_) => break 'reading,
            }
        }
    }
    // Every message decoded, encoded again, is a prefix of the stream in order.
    let wire: Vec<u8> = decoded.iter().flat_map(|m| encode(m)).collect();
    assert!(stream.starts_with(&wire), "decoded messages do not re-encode to the stream");
    for message in &decoded {
        assert!(message.len() <= max);
    }
    // And the stateless core agrees on the first message.
    if let Ok(Parsed::Message { payload, consumed }) = parse(stream, max) {
        assert_eq!(&stream[payload], &decoded[0][..]);
        assert!(consumed <= stream.len());
    }
});
