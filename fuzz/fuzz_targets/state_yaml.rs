//! `state.yaml` loading and validation. A state that loads must also be
//! written back, and what is written must load again to the same text
//! (`dnssec` rewrites the state on every run).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonesign::lifecycle::state::ZoneState;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(state) = ZoneState::from_yaml(text) else {
        return;
    };
    let written = state.to_yaml().expect("a loaded state serialises");
    let again = ZoneState::from_yaml(&written).expect("a written state loads again");
    assert_eq!(
        again.to_yaml().expect("a reloaded state serialises"),
        written,
        "state changes on a write/read round trip"
    );
});
