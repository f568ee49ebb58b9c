//! The verifier on mutated signed zones: the bytes are read as a signed
//! zone and, if that succeeds, verified at a fixed time inside the test
//! data's signature window (2026-01-01 .. 2036-12-31).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonesign::verify::{load_signed_zone_bytes, verify_zone, VerifyConfig};

/// 2027-01-01T00:00:00Z.
const NOW: u64 = 1_798_761_600;

fuzz_target!(|data: &[u8]| {
    let Ok(zone) = load_signed_zone_bytes(data, "fuzz", None) else {
        return;
    };
    let cfg = VerifyConfig {
        now: NOW,
        ..VerifyConfig::default()
    };
    let _ = verify_zone(&zone, &cfg, None);
});
