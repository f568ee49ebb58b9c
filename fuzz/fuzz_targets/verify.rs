//! The verifier on mutated signed zones: the bytes are read as a signed
//! zone and, if that succeeds, verified at a fixed time inside the test
//! data's signature window (2026-01-01 .. 2036-12-31).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonesign::limits::Limits;
use zonesign::verify::{load_signed_zone_bytes, verify_zone, VerifyConfig};

/// $GENERATE and record caps far below the defaults: an 8 KiB input may
/// otherwise ask, within the (configurable, generous) default caps, for
/// millions of records, which is work the input asked for, not a hang,
/// but would read as a timeout (found: `$GENERATE 0-0361232`, 0.9 s).
fn limits() -> Limits {
    Limits {
        max_generate: Some(4096),
        max_records: Some(100_000),
        ..Limits::default()
    }
}

/// 2027-01-01T00:00:00Z.
const NOW: u64 = 1_798_761_600;

fuzz_target!(|data: &[u8]| {
    let Ok(zone) = load_signed_zone_bytes(data, "fuzz", None, limits()) else {
        return;
    };
    let cfg = VerifyConfig {
        now: NOW,
        ..VerifyConfig::default()
    };
    let _ = verify_zone(&zone, &cfg, None);
});
