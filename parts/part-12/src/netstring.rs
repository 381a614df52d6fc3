//! Netstrings: `LENGTH:BYTES,` — a message that says how long it is.
//!
//! The transformation protocol frames each message as a netstring: the
//! payload's length in decimal ASCII, a colon, the payload, a comma. So
//! `27:cummingsify.HERE IS MY POEM,` carries the 27 bytes
//! `cummingsify.HERE IS MY POEM`. A receiver knows where a message ends
//! without looking inside it, and knows how much to expect before it
//! arrives.
//!
//! TCP delivers a byte stream, not messages: one read may hold half a
//! message, or three and a half. So parsing is *incremental*: [`parse`] looks
//! at whatever has been received so far and says either "a whole message is
//! here, this long", "not yet", or "this is not a netstring" — as early as it
//! can tell, so that a client sending garbage, or an endless length prefix,
//! is caught after a few bytes instead of after filling memory.
//!
//! [`parse`] is the one parsing core. Our reactor protocol (a `Vec<u8>`
//! buffer) and the tokio codec (a `BytesMut`) both call it on their buffer
//! and drop the bytes it says were consumed.

use std::ops::Range;

/// The longest payload accepted unless told otherwise: 1 MiB, far more
/// than any poem of the series.
pub const DEFAULT_MAX_LENGTH: usize = 1 << 20;

/// The largest limit that can be honoured: a message must fit in one
/// buffer, with its length prefix (20 digits at most) and its colon and
/// comma, and no Rust buffer holds more than `isize::MAX` bytes. [`parse`]
/// treats any larger `max` as this one, so that its arithmetic (the
/// payload's end, the bytes consumed) can never overflow.
pub const LARGEST_MAX_LENGTH: usize = isize::MAX as usize - 32;

/// What [`parse`] found at the start of the buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Not enough bytes yet to tell; read more.
    Incomplete,
    /// A whole message: the payload is `buffer[payload]`, and the message
    /// took the first `consumed` bytes of the buffer.
    Message {
        /// Where the payload is in the buffer.
        payload: Range<usize>,
        /// How many bytes the whole netstring took.
        consumed: usize,
    },
}

/// Why the bytes are not a netstring. The connection they came on is beyond
/// repair: there is no way to find where the next message would start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetstringError {
    /// The length prefix has something other than a decimal digit, or is
    /// empty, or starts with a zero (only `0` itself may).
    #[error("bad length prefix: {0}")]
    BadLength(String),
    /// The length is more than the receiver accepts.
    #[error("message of {length} bytes or more is over the limit of {max} bytes")]
    TooLong {
        /// The length announced (or the least it will be).
        length: usize,
        /// The limit.
        max: usize,
    },
    /// The payload is not followed by a comma.
    #[error("missing ',' after the {length}-byte payload (found {found:?})")]
    MissingComma {
        /// The payload's length.
        length: usize,
        /// The byte found instead.
        found: char,
    },
}

// ANCHOR: parse
/// Looks for one netstring at the start of `buffer`, accepting payloads of
/// at most `max` bytes. Never reads past the message, never copies it, and
/// never needs more than the length prefix (at most a few digits) to spot a
/// bad message.
pub fn parse(buffer: &[u8], max: usize) -> Result<Parsed, NetstringError> {
    let max = max.min(LARGEST_MAX_LENGTH); // so `start + length + 1` fits
    // 1. The length: decimal digits up to the colon.
    let mut length: usize = 0;
    let mut digits = 0;
    let colon = loop {
        let Some(&byte) = buffer.get(digits) else {
            return Ok(Parsed::Incomplete);
        };
        match byte {
            b'0'..=b'9' => {
                if digits == 1 && buffer[0] == b'0' {
                    return Err(NetstringError::BadLength(
                        "a length may not start with 0".into(),
                    ));
                }
                let digit = usize::from(byte - b'0');
                length = match length.checked_mul(10).and_then(|l| l.checked_add(digit)) {
                    Some(length) if length <= max => length,
                    _ => {
                        let length = length.saturating_mul(10).saturating_add(digit);
                        return Err(NetstringError::TooLong { length, max });
                    }
                };
                digits += 1;
            }
            b':' if digits > 0 => break digits,
            b':' => return Err(NetstringError::BadLength("the length is empty".into())),
            other => {
                return Err(NetstringError::BadLength(format!(
                    "expected a digit or ':', found {:?}",
                    char::from(other)
                )));
            }
        }
    };
    // 2. The payload, then the comma.
    let start = colon + 1;
    let end = start + length;
    match buffer.get(end) {
        None => Ok(Parsed::Incomplete),
        Some(b',') => Ok(Parsed::Message {
            payload: start..end,
            consumed: end + 1,
        }),
        Some(&other) => Err(NetstringError::MissingComma {
            length,
            found: char::from(other),
        }),
    }
}
// ANCHOR_END: parse

/// `payload` as a netstring.
pub fn encode(payload: &[u8]) -> Vec<u8> {
    let mut out = format!("{}:", payload.len()).into_bytes();
    out.extend_from_slice(payload);
    out.push(b',');
    out
}

/// A buffer of received bytes, cut into netstrings as they complete: what a
/// protocol keeps between `data_received` calls.
///
/// Pull-style, like a tokio decoder: [`push`](Decoder::push) what arrived,
/// then take [`next_message`](Decoder::next_message) until it says there is
/// no whole message left. Messages that arrived before a malformed one are
/// all handed out before the error is.
#[derive(Debug)]
pub struct Decoder {
    buffer: Vec<u8>,
    /// Bytes at the front of `buffer` already handed out.
    used: usize,
    max: usize,
}

// ANCHOR: decoder
impl Decoder {
    /// A decoder accepting payloads of up to `max` bytes.
    pub fn new(max: usize) -> Decoder {
        Decoder {
            buffer: Vec::new(),
            used: 0,
            max,
        }
    }

    /// Adds received bytes.
    pub fn push(&mut self, data: &[u8]) {
        // Drop what was handed out before growing the buffer.
        self.buffer.drain(..self.used);
        self.used = 0;
        self.buffer.extend_from_slice(data);
    }

    /// The next whole message, if one has arrived. After an error the
    /// decoder is useless: the connection should close.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, NetstringError> {
        match parse(&self.buffer[self.used..], self.max)? {
            Parsed::Incomplete => Ok(None),
            Parsed::Message { payload, consumed } => {
                let start = self.used;
                self.used += consumed;
                Ok(Some(
                    self.buffer[start + payload.start..start + payload.end].to_vec(),
                ))
            }
        }
    }

    /// Bytes received but not yet part of a whole message.
    pub fn pending(&self) -> usize {
        self.buffer.len() - self.used
    }
}
// ANCHOR_END: decoder

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = 100;

    #[test]
    fn a_length_past_any_limit_is_too_long_not_an_overflow() {
        for wire in [&b"99999999999999999999999:"[..], b"18446744073709551616:"] {
            for max in [MAX, LARGEST_MAX_LENGTH, usize::MAX] {
                assert!(
                    matches!(parse(wire, max), Err(NetstringError::TooLong { .. })),
                    "{max}: {:?}",
                    parse(wire, max)
                );
            }
        }
        // The largest limit itself is honoured: its length is no error.
        let largest = format!("{LARGEST_MAX_LENGTH}:");
        assert_eq!(
            parse(largest.as_bytes(), usize::MAX),
            Ok(Parsed::Incomplete)
        );
    }

    #[test]
    fn the_series_example_request() {
        let wire = b"27:cummingsify.HERE IS MY POEM,";
        assert_eq!(
            parse(wire, MAX),
            Ok(Parsed::Message {
                payload: 3..30,
                consumed: wire.len()
            })
        );
        assert_eq!(encode(b"cummingsify.HERE IS MY POEM"), wire);
    }

    #[test]
    fn an_empty_payload_is_fine() {
        assert_eq!(
            parse(b"0:,", MAX),
            Ok(Parsed::Message {
                payload: 2..2,
                consumed: 3
            })
        );
    }

    #[test]
    fn incomplete_until_the_comma_arrives() {
        let wire = b"5:hello,";
        for cut in 0..wire.len() {
            assert_eq!(
                parse(&wire[..cut], MAX),
                Ok(Parsed::Incomplete),
                "after {cut} bytes"
            );
        }
    }

    #[test]
    fn bad_messages_are_caught_as_early_as_possible() {
        assert!(matches!(
            parse(b"x", MAX),
            Err(NetstringError::BadLength(_))
        ));
        assert!(matches!(
            parse(b":", MAX),
            Err(NetstringError::BadLength(_))
        ));
        assert!(matches!(
            parse(b"01", MAX),
            Err(NetstringError::BadLength(_))
        ));
        assert!(matches!(
            parse(b"1x", MAX),
            Err(NetstringError::BadLength(_))
        ));
        assert_eq!(
            parse(b"101", MAX),
            Err(NetstringError::TooLong {
                length: 101,
                max: MAX
            })
        );
        // An endless length prefix is refused after a few digits.
        assert!(matches!(
            parse(&[b'9'; 1000], MAX),
            Err(NetstringError::TooLong { .. })
        ));
        assert_eq!(
            parse(b"2:hi;", MAX),
            Err(NetstringError::MissingComma {
                length: 2,
                found: ';'
            })
        );
    }

    /// Every whole message the decoder has, then the error if one stopped it.
    fn drain(decoder: &mut Decoder) -> (Vec<Vec<u8>>, Option<NetstringError>) {
        let mut messages = Vec::new();
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => messages.push(message),
                Ok(None) => return (messages, None),
                Err(error) => return (messages, Some(error)),
            }
        }
    }

    #[test]
    fn a_decoder_handles_halves_and_batches() {
        let mut decoder = Decoder::new(MAX);
        decoder.push(b"3:ab");
        assert_eq!(drain(&mut decoder), (vec![], None));
        decoder.push(b"c,1:x,2:");
        assert_eq!(
            drain(&mut decoder),
            (vec![b"abc".to_vec(), b"x".to_vec()], None)
        );
        assert_eq!(decoder.pending(), 2);
        decoder.push(b"yz,");
        assert_eq!(drain(&mut decoder), (vec![b"yz".to_vec()], None));
        assert_eq!(decoder.pending(), 0);
    }

    #[test]
    fn messages_before_a_bad_one_are_handed_out_first() {
        let mut decoder = Decoder::new(MAX);
        decoder.push(b"0:,2:ok,x");
        let (messages, error) = drain(&mut decoder);
        assert_eq!(messages, vec![b"".to_vec(), b"ok".to_vec()]);
        assert!(matches!(error, Some(NetstringError::BadLength(_))));
    }
}
