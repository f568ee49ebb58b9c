//! Type bitmaps (RFC 4034 §4.1.2, also RFC 5155 §3.2.1 and RFC 7477 §2.1.2).
//!
//! Ours: hickory's `RecordTypeSet` allocates a `BTreeSet` per call and drops
//! unknown types it cannot name; NSEC/NSEC3 chains call these per name.

/// Encodes a set of types as window blocks, appended to `out`. The input may
/// be unsorted and hold duplicates.
pub fn encode_type_bitmap(types: &[u16], out: &mut Vec<u8>) {
    let mut sorted: Vec<u16> = types.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut i = 0;
    while i < sorted.len() {
        let window = (sorted[i] >> 8) as u8;
        let mut bits = [0u8; 32];
        let mut used = 0usize;
        while i < sorted.len() && (sorted[i] >> 8) as u8 == window {
            let low = (sorted[i] & 0xff) as usize;
            bits[low / 8] |= 0x80 >> (low % 8);
            used = low / 8 + 1;
            i += 1;
        }
        out.push(window);
        out.push(used as u8);
        out.extend_from_slice(&bits[..used]);
    }
}

/// Decodes window blocks into the ascending list of types. `None` when
/// malformed: windows not strictly increasing, a block length outside
/// 1..=32, or a block running past the end. Trailing zero octets inside a
/// block are tolerated (RFC 4034 says they MUST NOT be sent, but a reader
/// loses nothing by accepting them).
pub fn decode_type_bitmap(bytes: &[u8]) -> Option<Vec<u16>> {
    let mut types = Vec::new();
    let mut pos = 0usize;
    let mut last_window: Option<u8> = None;
    while pos < bytes.len() {
        let window = *bytes.get(pos)?;
        let len = *bytes.get(pos + 1)? as usize;
        if !(1..=32).contains(&len) || last_window.is_some_and(|w| w >= window) {
            return None;
        }
        let block = bytes.get(pos + 2..pos + 2 + len)?;
        for (i, &b) in block.iter().enumerate() {
            for bit in 0..8 {
                if b & (0x80 >> bit) != 0 {
                    types.push(u16::from(window) << 8 | (i * 8 + bit) as u16);
                }
            }
        }
        last_window = Some(window);
        pos += 2 + len;
    }
    Some(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4034 §4.3: `host.example.com. NSEC ... A MX RRSIG NSEC TYPE1234`.
    #[test]
    fn rfc4034_example() {
        let expected: &[u8] = &[
            0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, // window 0
            0x04, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x20,
        ];
        let mut out = Vec::new();
        encode_type_bitmap(&[1234, 47, 46, 15, 1, 15], &mut out);
        assert_eq!(out, expected);
        assert_eq!(
            decode_type_bitmap(expected),
            Some(vec![1, 15, 46, 47, 1234])
        );
    }

    #[test]
    fn empty_and_edges() {
        let mut out = Vec::new();
        encode_type_bitmap(&[], &mut out);
        assert!(out.is_empty());
        assert_eq!(decode_type_bitmap(&[]), Some(vec![]));
        encode_type_bitmap(&[0, 255, 65535], &mut out);
        assert_eq!(out[..2], [0, 32]);
        assert_eq!(out[2], 0x80);
        assert_eq!(out[33], 0x01);
        assert_eq!(out[34..36], [0xff, 32]);
        assert_eq!(decode_type_bitmap(&out), Some(vec![0, 255, 65535]));
    }

    #[test]
    fn malformed() {
        assert_eq!(decode_type_bitmap(&[0]), None);
        assert_eq!(decode_type_bitmap(&[0, 0]), None);
        assert_eq!(decode_type_bitmap(&[0, 33]), None);
        assert_eq!(decode_type_bitmap(&[0, 2, 0x40]), None);
        // Windows out of order, or repeated.
        assert_eq!(decode_type_bitmap(&[1, 1, 0x40, 0, 1, 0x40]), None);
        assert_eq!(decode_type_bitmap(&[0, 1, 0x40, 0, 1, 0x40]), None);
        // Trailing zero octets are tolerated.
        assert_eq!(decode_type_bitmap(&[0, 3, 0x40, 0, 0]), Some(vec![1]));
    }

    /// hickory's NSEC encoder (its RecordTypeSet) as an oracle for the RFC 4034 example.
    #[test]
    fn hickory_oracle() {
        use hickory_proto::dnssec::rdata::NSEC;
        use hickory_proto::rr::{Name, RecordType};
        use hickory_proto::serialize::binary::BinEncodable;
        let nsec = NSEC::new(
            Name::root(),
            [
                RecordType::A,
                RecordType::MX,
                RecordType::RRSIG,
                RecordType::NSEC,
                RecordType::Unknown(1234),
            ],
        );
        let theirs = nsec.to_bytes().expect("encode");
        let mut ours = vec![0u8];
        encode_type_bitmap(&[1, 15, 46, 47, 1234], &mut ours);
        assert_eq!(ours, theirs);
    }
}
