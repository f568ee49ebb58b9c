//! The zone-file reader (lexer, directives, $GENERATE, every RDATA parser)
//! and the zone model built from what it reads, on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonesign::limits::Limits;
use zonesign::name::Name;
use zonesign::zone::load::load_zone_bytes;
use zonesign::zone::BuildOptions;

/// $GENERATE and record caps far below the defaults: an 8 KiB input may
/// otherwise ask, within the (configurable, generous) default caps, for
/// millions of records, which is work the input asked for, not a hang,
/// but would read as a timeout (found: `$GENERATE 0-0361232`, 0.9 s).
/// Session 8 lowered them from 4096 and 100,000, session 9 from 256 and
/// 10,000 (430 exec/s at 6.5M executions, 11,647/s after): with those the corpus
/// filled with inputs expanding to tens of thousands of records (300 ms
/// each) and the rate fell to 500 executions/s (fuzz/README.md).
fn limits() -> Limits {
    Limits {
        max_generate: Some(64),
        max_records: Some(2_000),
        ..Limits::default()
    }
}

fuzz_target!(|data: &[u8]| {
    // Odd first byte: an --origin is given (relative names allowed before
    // any $ORIGIN); even: the apex comes from the first SOA.
    let origin = match data.first() {
        Some(b) if b & 1 == 1 => Name::parse(b"example.com.", None).ok(),
        _ => None,
    };
    let _ = load_zone_bytes(
        data,
        "fuzz",
        origin,
        BuildOptions {
            limits: limits(),
            ..BuildOptions::default()
        },
    );
});
