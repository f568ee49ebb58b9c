//! Helpers for the unit tests: known-answer vectors are typed in from the
//! RFCs as they print them, in base64 and hex.

use base64::Engine;

/// Base64 with the RFCs' line breaks and spaces.
pub fn b64(s: &str) -> Vec<u8> {
    let clean: String = s.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean)
        .expect("base64 in a test vector")
}

/// Hex in either case, with the RFCs' line breaks and spaces.
pub fn hex(s: &str) -> Vec<u8> {
    let clean: String = s.split_whitespace().collect();
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(clean.as_bytes())
        .expect("hex in a test vector")
}

/// DNSKEY RDATA (RFC 4034 §2.1) for any algorithm number, supported or not.
pub fn dnskey_rdata(flags: u16, algorithm: u8, public_key: &[u8]) -> Vec<u8> {
    crate::keys::Dnskey {
        flags,
        protocol: 3,
        algorithm,
        public_key: public_key.to_vec(),
    }
    .to_rdata()
}
