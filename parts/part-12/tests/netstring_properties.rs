//! Properties of the netstring codec: however the bytes of any sequence of
//! valid messages are split into reads, the same messages come out; and no
//! input, however random, makes it panic.

use part_12::netstring::{Decoder, Parsed, encode, parse};
use proptest::prelude::*;

const MAX: usize = 4096;

proptest! {
    #[test]
    fn any_split_of_valid_messages_decodes_to_the_same_messages(
        messages in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 0..12),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let wire: Vec<u8> = messages.iter().flat_map(|m| encode(m)).collect();
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(wire.len() + 1)).collect();
        points.sort_unstable();
        let mut decoder = Decoder::new(MAX);
        let mut decoded = Vec::new();
        let mut from = 0;
        for to in points.into_iter().chain([wire.len()]) {
            decoder.push(&wire[from..to]);
            while let Some(message) = decoder.next_message().unwrap() {
                decoded.push(message);
            }
            from = to;
        }
        prop_assert_eq!(decoded, messages);
        prop_assert_eq!(decoder.pending(), 0);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse(&bytes, MAX);
        let mut decoder = Decoder::new(MAX);
        'reading: for chunk in bytes.chunks(7) {
            decoder.push(chunk);
            loop {
                match decoder.next_message() {
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(_) => break 'reading,
                }
            }
        }
    }

    #[test]
    fn a_parsed_message_is_exactly_the_encoded_payload(payload in prop::collection::vec(any::<u8>(), 0..300)) {
        let wire = encode(&payload);
        match parse(&wire, MAX).unwrap() {
            Parsed::Message { payload: range, consumed } => {
                prop_assert_eq!(&wire[range], &payload[..]);
                prop_assert_eq!(consumed, wire.len());
            }
            Parsed::Incomplete => prop_assert!(false, "a whole message is not incomplete"),
        }
    }
}
