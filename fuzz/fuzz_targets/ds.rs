//! The DS readers: `dnssec ds` input (`lifecycle::ds_input`) and the
//! `verify --ds` / `--trust-anchor` loader (`verify::trust`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonesign::lifecycle::ds_input::parse_ds_text;
use zonesign::name::Name;
use zonesign::verify::trust::load_anchor_bytes;

fuzz_target!(|data: &[u8]| {
    let Ok(zone) = Name::parse(b"example.com.", None) else {
        return;
    };
    let flag = data.first().copied().unwrap_or(0);
    let _ = load_anchor_bytes(data, "fuzz", &zone, flag & 1 == 1);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_ds_text(text, "fuzz", flag & 2 == 2, &zone);
    }
});
