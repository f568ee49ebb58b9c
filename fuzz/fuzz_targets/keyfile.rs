//! The key-file readers: a `.key` file (DNSKEY record), and a key pair of
//! `.key` plus BIND/ldns `.private` or Knot PKCS#8 `.pem`.
//! Input: `.key` text, a NUL byte, then the private half; the last byte
//! of the input chooses the private format (even: `.private`, odd: `.pem`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use zonesign::keys::keyfile::{key_pair_from_pem_text, key_pair_from_text, parse_key_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (key, private) = text.split_once('\0').unwrap_or((text, ""));
    let _ = parse_key_text(key, Path::new("fuzz.key"));
    if data.last().is_some_and(|b| b & 1 == 1) {
        let _ = key_pair_from_pem_text(key, private);
    } else {
        let _ = key_pair_from_text(key, private);
    }
});
