//! The signing policy file (`zonesign.yaml`): parse, merge under no flags,
//! show, and turn into a signing run's options, which are then checked as
//! `sign` checks them. Nothing may panic; a file that parses gives every
//! setting a row and a source.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zonesign::job::policy::{Effective, PolicyFile, Settings, SETTINGS};
use zonesign::job::sign::SignOptions;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = PolicyFile::from_yaml(text, Path::new("zonesign.yaml")) else {
        return;
    };
    let effective = Effective::merge(Some(&file), &Settings::default());
    assert_eq!(effective.rows().len(), SETTINGS.len());
    let mut opts = SignOptions {
        zonefile: "fuzz.zone".into(),
        ..SignOptions::default()
    };
    if effective.apply(&mut opts).is_ok() {
        let _ = opts.validate(1_796_169_600, 2);
    }
});
