//! `verify` is an audit: zone-content problems in a signed zone are
//! findings (exit 1, JSON still printed, the other findings still
//! reported), not a refusal to read the zone (exit 2). On c67a9a9 every
//! case here stopped with exit 2 and no JSON.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const UNSIGNED: &str =
    "$ORIGIN x.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nc CNAME ns\n";

/// Signs UNSIGNED with fresh keys and returns the signed text.
fn signed(dir: &Path) -> String {
    let zone = write(dir, "u.zone", UNSIGNED);
    let out = dir.join("u.signed");
    let mut args: Vec<String> = vec![
        "sign".into(),
        zone.display().to_string(),
        "--generate-keys".into(),
        "--keys".into(),
        dir.join("keys").display().to_string(),
        "-f".into(),
        out.display().to_string(),
        "--quiet".into(),
    ];
    args.extend(SIGN_WINDOW.iter().map(|s| s.to_string()));
    let o = zonesign(&args);
    assert_eq!(o.status.code(), Some(0), "sign: {}", text(&o.stderr));
    std::fs::read_to_string(out).expect("signed zone")
}

/// Verifies `text` as JSON: (exit code, report).
fn verify(dir: &Path, text_: &str) -> (Option<i32>, serde_json::Value) {
    let p: PathBuf = write(dir, "t.signed", text_);
    let o = zonesign([
        "verify",
        p.to_str().unwrap(),
        "--format",
        "json",
        "--now",
        "20300101000000",
        "--quiet",
    ]);
    let report = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}); stderr: {}", text(&o.stderr)));
    (o.status.code(), report)
}

fn codes(r: &serde_json::Value) -> Vec<(String, String, String)> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["owner"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(r: &serde_json::Value, code: &str, owner: &str) -> bool {
    codes(r).iter().any(|(c, o, _)| c == code && o == owner)
}

#[test]
fn clean_signed_zone_has_no_zone_content_findings() {
    let dir = tempfile::tempdir().unwrap();
    let (code, r) = verify(dir.path(), &signed(dir.path()));
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(r["summary"]["errors"], 0, "{r}");
}

/// dnssec-verify: "c.x: CNAME and other data" (refuses to load); kzonecheck:
/// "another record exists beside CNAME".
#[test]
fn cname_beside_other_data_is_a_finding_and_verification_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let text_ = signed(dir.path()) + "c.x. 300 IN TXT \"added\"\n";
    let (code, r) = verify(dir.path(), &text_);
    assert_eq!(code, Some(1), "{r}");
    assert!(has(&r, "cname-and-other-data", "c.x."), "{r}");
    // The added TXT is still checked as an RRset: unsigned, not in the bitmap.
    assert!(has(&r, "unsigned-rrset-added", "c.x."), "{r}");
    let line = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "cname-and-other-data")
        .unwrap()["line"]
        .as_u64()
        .unwrap();
    assert!(line > 1, "{r}");
}

/// dnssec-verify: "sub.x: not at top of zone" (refuses to load).
#[test]
fn soa_below_the_apex_is_a_finding_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let text_ = signed(dir.path()) + "sub.x. 300 IN SOA ns hm 1 2 3 4 5\n";
    let (code, r) = verify(dir.path(), &text_);
    assert_eq!(code, Some(1), "{r}");
    assert!(has(&r, "soa-not-at-apex", "sub.x."), "{r}");
    assert!(has(&r, "nsec-missing", "sub.x."), "{r}");
}

#[test]
fn missing_apex_ns_is_a_finding_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let text_: String = signed(dir.path())
        .lines()
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            !(f.len() > 3 && f[0] == "x." && f[3] == "NS")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let (code, r) = verify(dir.path(), &text_);
    assert_eq!(code, Some(1), "{r}");
    assert!(has(&r, "apex-ns-missing", "x."), "{r}");
    // The now-orphaned RRSIG(NS) is still reported.
    assert!(has(&r, "rrsig-orphan", "x."), "{r}");
}

/// Out-of-zone data: dnssec-verify and kzonecheck accept the zone (they
/// ignore the record); we report it as an error finding (RFC 1035 §5.2:
/// data outside the zone is "the result of an origin or similar error").
#[test]
fn out_of_zone_data_is_an_error_finding() {
    let dir = tempfile::tempdir().unwrap();
    let text_ = signed(dir.path()) + "www.y. 300 IN A 192.0.2.9\n";
    let (code, r) = verify(dir.path(), &text_);
    assert_eq!(code, Some(1), "{r}");
    assert!(
        codes(&r)
            .iter()
            .any(|(c, o, s)| c == "out-of-zone-data" && o == "www.y." && s == "error"),
        "{r}"
    );
}

/// A DS at a name without NS: dnssec-verify ("DNSSEC completeness test
/// failed") and kzonecheck ("wrong NSEC(3) bitmap") reject the zone, for
/// the unsigned, unlisted DS; we also name the RFC 4035 §2.4 rule.
#[test]
fn ds_not_at_delegation_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let text_ = signed(dir.path())
        + "ns.x. 300 IN DS 12345 13 2 2BB183AF5F22588179A53B0A98631FAD1A292118A0E4E6ED0E1C4E3B02F52C7A\n";
    let (code, r) = verify(dir.path(), &text_);
    assert_eq!(code, Some(1), "{r}");
    assert!(has(&r, "ds-not-at-delegation", "ns.x."), "{r}");
}

/// RFC 6672 §2.4: one finding per record below a DNAME, at its line.
#[test]
fn each_record_below_a_dname_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let text_ = signed(dir.path())
        + "d.x. 300 IN DNAME a.example.\nb.d.x. 300 IN A 192.0.2.2\nb.d.x. 300 IN TXT \"t\"\n";
    let (_, r) = verify(dir.path(), &text_);
    let below: Vec<(String, u64)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "data-below-dname")
        .map(|f| {
            (
                f["type"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(below.len(), 2, "{r}");
    assert!(
        below.iter().any(|(t, _)| t == "A") && below.iter().any(|(t, _)| t == "TXT"),
        "{r}"
    );
    assert_ne!(below[0].1, below[1].1, "{r}");
}

/// RFC 5155 §3: wrong-length hashes are nsec3-hash-length, reported once
/// (the owner-label case was nsec3-misplaced before, and the next-hash case
/// only showed as a broken chain).
#[test]
fn nsec3_hash_of_the_wrong_length_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let text_ = signed(dir.path())
        + "0p9mhaveqvm6t7vbl5lop2u3t2rp3to.x. 300 IN NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A\n";
    let (code, r) = verify(dir.path(), &text_);
    assert_eq!(code, Some(1), "{r}");
    assert!(
        has(
            &r,
            "nsec3-hash-length",
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3to.x."
        ),
        "{r}"
    );
    assert!(
        !has(&r, "nsec3-misplaced", "0p9mhaveqvm6t7vbl5lop2u3t2rp3to.x."),
        "{r}"
    );
}

/// RFC 7344 §4.1: a CDS that names no DNSKEY of the zone is a warning
/// finding; one of an algorithm no DNSKEY has is an error.
#[test]
fn cds_matching_no_dnskey_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let base = signed(dir.path());
    let alg = base
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() > 6 && f[3] == "DNSKEY").then(|| f[6].to_string())
        })
        .expect("a DNSKEY");
    let text_ = format!("{base}x. 300 IN CDS 1 {alg} 2 2BB183AF5F22588179A53B0A98631FAD1A292118A0E4E6ED0E1C4E3B02F52C7A\n");
    let (_, r) = verify(dir.path(), &text_);
    assert!(
        codes(&r)
            .iter()
            .any(|(c, o, s)| c == "cds-no-matching-dnskey" && o == "x." && s == "warning"),
        "{r}"
    );
    let text_ = format!("{base}x. 300 IN CDNSKEY 257 3 8 AwEAAQ==\n");
    let (code, r) = verify(dir.path(), &text_);
    assert_eq!(code, Some(1), "{r}");
    assert!(has(&r, "cds-algorithm-no-dnskey", "x."), "{r}");
}
