//! The zone-file reader (lexer, directives, $GENERATE, every RDATA parser)
//! and the zone model built from what it reads, on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonesign::check::load_zone_bytes;
use zonesign::name::Name;
use zonesign::zone::BuildOptions;

fuzz_target!(|data: &[u8]| {
    // Odd first byte: an --origin is given (relative names allowed before
    // any $ORIGIN); even: the apex comes from the first SOA.
    let origin = match data.first() {
        Some(b) if b & 1 == 1 => Name::parse(b"example.com.", None).ok(),
        _ => None,
    };
    let _ = load_zone_bytes(data, "fuzz", origin, BuildOptions::default());
});
