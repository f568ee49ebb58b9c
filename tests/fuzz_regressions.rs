//! The in-memory reading entry points the fuzz targets use (fuzz/), and
//! regression tests for inputs the fuzzers found. The runs recorded in
//! fuzz/README.md found no crash, timeout or OOM yet; each future finding
//! goes here with its bytes under testdata/fuzz/.

mod common;

use std::path::Path;

use zonesign::zonefile::{read_zone, read_zone_bytes, ReadOptions};

fn records_of_file(path: &Path) -> Vec<common::Rec> {
    let mut out = Vec::new();
    read_zone(path, &ReadOptions::default(), &mut |r| {
        out.push(common::rec(r))
    })
    .unwrap();
    out
}

#[test]
fn bytes_reader_reads_the_same_records_as_the_file_reader() {
    let path = common::shared_testdata().join("zones/example.com.zone");
    let text = std::fs::read(&path).unwrap();
    let mut from_bytes = Vec::new();
    read_zone_bytes(&text, "mem", &ReadOptions::default(), &mut |r| {
        from_bytes.push(common::rec(r))
    })
    .unwrap();
    let from_file = records_of_file(&path);
    assert!(!from_file.is_empty());
    assert_eq!(from_bytes, from_file);
}

#[test]
fn bytes_reader_refuses_include() {
    let text = b"$ORIGIN example.com.\n$INCLUDE /etc/passwd\n";
    let mut n = 0;
    let err = read_zone_bytes(text, "mem", &ReadOptions::default(), &mut |_| n += 1).unwrap_err();
    assert_eq!(n, 0);
    let msg = err.errors[0].to_string();
    assert!(msg.starts_with("mem:2:1:"), "{msg}");
    assert!(msg.contains("$INCLUDE is not available"), "{msg}");
}

#[test]
fn signed_zone_from_bytes_verifies_like_from_file() {
    let path = common::shared_testdata().join("signed/example.bind.alg13.nsec.zone");
    let text = std::fs::read(&path).unwrap();
    let cfg = zonesign::verify::VerifyConfig {
        now: 1_798_761_600,
        ..Default::default()
    };
    let mem = zonesign::verify::load_signed_zone_bytes(&text, "mem", None).unwrap();
    let file = zonesign::verify::load_signed_zone(&path, None).unwrap();
    let a = zonesign::verify::verify_zone(&mem, &cfg, None);
    let b = zonesign::verify::verify_zone(&file, &cfg, None);
    assert_eq!(a.findings.len(), b.findings.len());
    assert_eq!(a.summary.rrsigs_valid, b.summary.rrsigs_valid);
    assert!(a.summary.rrsigs_valid > 0);
}
