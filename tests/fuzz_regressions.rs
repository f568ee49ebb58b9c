//! The in-memory reading entry points the fuzz targets use (fuzz/), and
//! regression tests for inputs the fuzzers found (their bytes under
//! testdata/fuzz/, what each was in fuzz/README.md).

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
    let path = common::interop_testdata().join("zones/example.com.zone");
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
    let path = common::interop_testdata().join("signed/example.bind.alg13.nsec.zone");
    let text = std::fs::read(&path).unwrap();
    let cfg = zonesign::verify::VerifyConfig {
        now: 1_798_761_600,
        ..Default::default()
    };
    let mem =
        zonesign::verify::load_signed_zone_bytes(&text, "mem", None, Default::default()).unwrap();
    let file = zonesign::verify::load_signed_zone(&path, None).unwrap();
    let a = zonesign::verify::verify_zone(&mem, &cfg, None);
    let b = zonesign::verify::verify_zone(&file, &cfg, None);
    assert_eq!(a.findings.len(), b.findings.len());
    assert_eq!(a.summary.rrsigs_valid, b.summary.rrsigs_valid);
    assert!(a.summary.rrsigs_valid > 0);
}

/// Found by the zonefile target (a 1 s timeout): 8 KiB of mutated
/// `$GENERATE` lines, one of them `$GENERATE 0-0361232`, asks for 361k
/// records. That is work the input asks for, under the default cap of
/// 2^24 values; what must hold is that `--max-generate` bounds it before
/// anything is expanded, at the directive's position.
#[test]
fn generate_amplification_found_by_fuzzing_stops_at_the_generate_cap() {
    let path = common::project_root().join("testdata/fuzz/zonefile-generate-361k.zone");
    let text = std::fs::read(&path).unwrap();
    let opts = ReadOptions {
        origin: zonesign::name::Name::parse(b"example.org.", None).ok(),
        limits: zonesign::limits::Limits {
            max_generate: Some(4096),
            ..Default::default()
        },
        ..ReadOptions::default()
    };
    let mut records = 0u64;
    let err = read_zone_bytes(&text, "fuzz", &opts, &mut |_| records += 1).unwrap_err();
    let cap = err
        .errors
        .iter()
        .find(|e| e.message.contains("0-0361232"))
        .unwrap_or_else(|| panic!("no $GENERATE cap error: {err}"));
    assert!(
        cap.message.contains("above the cap of 4096"),
        "{}",
        cap.message
    );
    assert!(records < 10_000, "{records} records expanded");
}
