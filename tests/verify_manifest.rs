//! Table-driven tests over the manifests of testdata/verify (copied from
//! the shared test data): every peer-signed zone verifies (exit 0, no
//! error finding) with its DS set and without, and every broken zone fails
//! (exit 1) with the finding its manifest names (code, owner, type).

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A time inside every valid signature's window (20260101–20361231).
const NOW: &str = "20300101000000";

fn data() -> PathBuf {
    common::project_root().join("testdata/verify")
}

fn manifest(dir: &str) -> Vec<Value> {
    let p = data().join(dir).join("manifest.json");
    let text = std::fs::read_to_string(&p).expect("read manifest");
    serde_json::from_str::<Vec<Value>>(&text).expect("manifest JSON")
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("manifest field {k} in {v}"))
}

/// Runs `zonesign verify ZONE --now NOW --format json [extra]`; returns the
/// exit code and the JSON report.
fn verify_json(zone: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args: Vec<String> = vec![
        "verify".into(),
        zone.display().to_string(),
        "--now".into(),
        NOW.into(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = common::zonesign(&args);
    let code = out.status.code().expect("exit code");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON report ({e}); stderr: {}",
            zone.display(),
            common::text(&out.stderr)
        )
    });
    (code, report)
}

fn errors(report: &Value) -> Vec<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                s(f, "code").to_string(),
                s(f, "owner").to_string(),
                s(f, "type").to_string(),
                s(f, "message").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_signed_zone_verifies_with_and_without_ds() {
    let m = manifest("signed");
    assert!(m.len() >= 36, "signed manifest has {} entries", m.len());
    let mut failures = Vec::new();
    for e in &m {
        assert_eq!(s(e, "expected"), "pass");
        let zone = data().join(s(e, "file"));
        let ds = data().join(s(e, "ds_file"));
        let ds = ds.display().to_string();
        for extra in [vec!["--ds", ds.as_str()], vec![]] {
            let (code, report) = verify_json(&zone, &extra);
            let errs = errors(&report);
            if code != 0 || !errs.is_empty() || report["ok"] != true {
                failures.push(format!("{} {extra:?}: exit {code}, {errs:?}", s(e, "file")));
            }
            let valid = report["summary"]["rrsigs_valid"].as_u64().unwrap_or(0);
            let total = report["summary"]["rrsigs"].as_u64().unwrap_or(0);
            assert!(
                total > 0 && valid == total,
                "{}: {valid}/{total} RRSIGs valid",
                s(e, "file")
            );
            if extra.is_empty() {
                // Without a DS set the report says what the anchor was.
                let codes: Vec<&str> = report["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["code"].as_str().unwrap())
                    .collect();
                assert!(codes.contains(&"trust-dnskey-only"), "{}", s(e, "file"));
            } else {
                assert!(
                    s(&report, "trust_anchor").contains("dsset-example.com."),
                    "{}",
                    s(e, "file")
                );
            }
        }
        let denial = s(e, "denial");
        let (code, report) = verify_json(&zone, &["--dnskey-only"]);
        assert_eq!(code, 0, "{} --dnskey-only", s(e, "file"));
        let want = if denial == "nsec" { "nsec" } else { "nsec3" };
        assert_eq!(s(&report, "denial"), want, "{}", s(e, "file"));
    }
    assert!(
        failures.is_empty(),
        "signed zones that failed:\n{}",
        failures.join("\n")
    );
}

/// Defects named after how the zone was broken rather than what a verifier
/// can observe. Changing an RR's RDATA after signing and corrupting the
/// signature are the same observable fact, that the signature does not
/// verify over the RRset as it stands (RFC 4034 §3.1.8.1); no verifier can
/// tell which side changed, so the finding is `rrsig-bad-signature`.
const OBSERVED_AS: &[(&str, &str)] = &[
    ("rdata-changed", "rrsig-bad-signature"),
    ("nsec3-rdata-changed", "rrsig-bad-signature"),
];

#[test]
fn every_broken_zone_fails_with_its_finding() {
    let m = manifest("broken");
    assert!(m.len() >= 25);
    let mut failures = Vec::new();
    for e in &m {
        assert_eq!(s(e, "expected"), "fail");
        let defect = s(e, "defect");
        let code_wanted = OBSERVED_AS
            .iter()
            .find(|(d, _)| *d == defect)
            .map(|(_, c)| *c)
            .unwrap_or(defect);
        let zone = data().join(s(e, "file"));
        let ds = data().join(s(e, "ds_file")).display().to_string();
        let (code, report) = verify_json(&zone, &["--ds", &ds]);
        let errs = errors(&report);
        let hit = errs
            .iter()
            .any(|(c, o, t, _)| c == code_wanted && o == s(e, "owner") && t == s(e, "type"));
        if code != 1 || !hit || report["ok"] != false {
            failures.push(format!(
                "{}: exit {code}, wanted {code_wanted} at {} {}, got {errs:?}",
                s(e, "file"),
                s(e, "owner"),
                s(e, "type")
            ));
        }
        // Every error finding points at a line of a file.
        for f in report["findings"].as_array().unwrap() {
            assert!(
                f["file"].is_string() && f["line"].as_u64().unwrap_or(0) > 0,
                "{f}"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "broken zones not reported:\n{}",
        failures.join("\n")
    );
}

#[test]
fn broken_base_zones_are_valid() {
    for (zone, ds) in [
        ("example.alg13.nsec", "example.alg13.nsec"),
        ("example.alg13.nsec3", "example.alg13.nsec3"),
        ("example.alg8.nsec", "example.alg8.nsec"),
        ("example.alg15.nsec3", "example.alg15.nsec3"),
    ] {
        let z = data().join(format!("broken/base/{zone}.zone"));
        let d = data()
            .join(format!("broken/base/{ds}.ds"))
            .display()
            .to_string();
        let (code, report) = verify_json(&z, &["--ds", &d]);
        assert_eq!(code, 0, "{zone}: {:?}", errors(&report));
    }
}

#[test]
fn text_output_has_file_line_owner_type_code_and_summary() {
    let z = data().join("broken/example.alg13.nsec.rrsig-expired.zone");
    let ds = data().join("broken/base/example.alg13.nsec.ds");
    let out = common::zonesign([
        "verify".as_ref(),
        z.as_os_str(),
        "--now".as_ref(),
        NOW.as_ref(),
        "--ds".as_ref(),
        ds.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = common::text(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains(": rrsig-expired: "))
        .expect("expired finding");
    let want_prefix = format!("{}:", z.display());
    assert!(line.starts_with(&want_prefix), "{line}");
    assert!(
        line.contains(": mail.example.com. A: rrsig-expired: "),
        "{line}"
    );
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("zone example.com.: FAILED: 1 error(s)"),
        "{last}"
    );
    assert!(common::text(&out.stderr).contains("verification failed"));
}

#[test]
fn expiry_warning_and_now_formats() {
    let z = data().join("signed/example.bind.alg13.nsec.zone");
    // 2036-12-30: one day before every signature expires.
    for now in ["20361230000000", "2114208000", "2036-12-30T00:00:00Z"] {
        let out = common::zonesign([
            "verify",
            z.to_str().unwrap(),
            "--now",
            now,
            "--format",
            "json",
            "--max-ttl",
            "0",
        ]);
        assert_eq!(out.status.code(), Some(0), "{now}");
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        let soon = r["summary"]["by_code"]["rrsig-expires-soon"]
            .as_u64()
            .unwrap_or(0);
        assert_eq!(soon, r["summary"]["rrsigs"].as_u64().unwrap(), "{now}");
    }
    // After the window: every RRSIG expired, exit 1.
    let out = common::zonesign([
        "verify",
        z.to_str().unwrap(),
        "--now",
        "20370101000000",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(1));
    // Before: not yet valid.
    let out = common::zonesign([
        "verify",
        z.to_str().unwrap(),
        "--now",
        "20251231000000",
        "--format",
        "json",
    ]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        r["summary"]["by_code"]["rrsig-not-yet-valid"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[test]
fn threads_give_the_same_report() {
    let z = data().join("signed/gen1000.bind.alg13.nsec3.zone");
    let run = |t: &str| {
        let out = common::zonesign([
            "verify",
            z.to_str().unwrap(),
            "--now",
            NOW,
            "--format",
            "json",
            "--threads",
            t,
        ]);
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn readme_documents_every_code_and_help_lists_the_flags() {
    let readme = std::fs::read_to_string(common::project_root().join("README.md")).unwrap();
    for c in zonesign::verify::Code::ALL {
        assert!(
            readme.contains(&format!(
                "| `{}` | {} |",
                c.as_str(),
                c.default_severity().as_str()
            )),
            "README.md does not document {} ({})",
            c.as_str(),
            c.default_severity().as_str()
        );
    }
    let out = common::zonesign(["verify", "--help"]);
    let help = common::text(&out.stdout);
    for flag in [
        "--origin",
        "--ds",
        "--trust-anchor",
        "--dnskey-only",
        "--now",
        "--warn-expiry",
        "--max-ttl",
        "--format",
        "--threads",
        "--quiet",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
        assert!(
            readme.contains(&format!("`{flag}")),
            "{flag} missing from README.md"
        );
    }
}
