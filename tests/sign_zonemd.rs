//! ZONEMD (RFC 8976) end to end: `sign --zonemd` and the recomputation of
//! an apex ZONEMD already in the zone, checked by our verifier and by
//! ldns-verify-zone -Z; zones ldns-signzone -z digested, checked by ours;
//! and changes only the digest can see (glue is not signed).

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const KSK: &str = "testdata/keys/bind.alg13/Kexample.com.+013+34808";
const ZSK: &str = "testdata/keys/bind.alg13/Kexample.com.+013+46059";

fn sign(zone: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = sign_args(zone, KSK, ZSK, out, &["--now", "20260601000000"]);
    args.extend(extra.iter().map(|s| s.to_string()));
    zonesign(args)
}

fn verify(signed: &Path) -> (i32, String) {
    let o = zonesign([
        "verify",
        &signed.display().to_string(),
        "--now",
        "20260602000000",
        "--format",
        "json",
    ]);
    (o.status.code().unwrap_or(-1), text(&o.stdout))
}

fn ldns_verify(signed: &Path) -> (bool, String) {
    require_tool("ldns-verify-zone", "ldnsutils");
    let o = Command::new("ldns-verify-zone")
        .args(["-Z", "-t", "20260602000000"])
        .arg(signed)
        .output()
        .expect("run ldns-verify-zone");
    (o.status.success(), text(&o.stderr) + &text(&o.stdout))
}

fn zonemd_lines(signed: &str) -> Vec<String> {
    signed
        .lines()
        .filter(|l| l.split_whitespace().nth(3) == Some("ZONEMD"))
        .map(String::from)
        .collect()
}

#[test]
fn signed_with_zonemd_verifies_here_and_in_ldns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/small.zone");
    for mode in [&[][..], &["--nsec3"][..], &["--nsec3", "--opt-out"][..]] {
        let out = dir.path().join("out.signed");
        let mut extra = vec!["--zonemd", "sha384", "--zonemd", "sha512"];
        extra.extend_from_slice(mode);
        let o = sign(&zone, &out, &extra);
        assert!(o.status.success(), "sign {mode:?}: {}", text(&o.stderr));
        let signed = std::fs::read_to_string(&out).expect("signed");
        let zmd = zonemd_lines(&signed);
        assert_eq!(zmd.len(), 2, "{zmd:?}");
        // The SOA serial of testdata/small.zone, scheme 1, hashes 1 and 2.
        assert!(zmd[0].contains("\t2026010101 1 1 "), "{}", zmd[0]);
        assert!(zmd[1].contains("\t2026010101 1 2 "), "{}", zmd[1]);
        assert!(signed.contains("RRSIG\tZONEMD "), "ZONEMD RRset is signed");
        let (code, json) = verify(&out);
        assert_eq!(code, 0, "zonesign verify {mode:?}: {json}");
        let (ok, msg) = ldns_verify(&out);
        assert!(ok, "ldns-verify-zone -Z {mode:?}: {msg}");
    }
}

#[test]
fn a_stale_zonemd_in_the_input_is_recomputed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text_zone =
        std::fs::read_to_string(project_root().join("testdata/small.zone")).expect("zone");
    let stale = "@ 3600 IN ZONEMD 1999010100 1 1 ".to_string() + &"ab".repeat(48) + "\n";
    text_zone.push_str(&stale);
    let zone = write(dir.path(), "z.zone", &text_zone);
    let out = dir.path().join("z.signed");
    let o = sign(&zone, &out, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let signed = std::fs::read_to_string(&out).expect("signed");
    let zmd = zonemd_lines(&signed);
    assert_eq!(zmd.len(), 1);
    assert!(
        zmd[0].contains("\t2026010101 1 1 "),
        "serial follows the SOA: {}",
        zmd[0]
    );
    assert!(!zmd[0].to_lowercase().contains(&"ab".repeat(48)));
    assert_eq!(verify(&out).0, 0);
    assert!(ldns_verify(&out).0);
}

#[test]
fn changes_only_the_digest_sees_are_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/small.zone");
    let out = dir.path().join("z.signed");
    assert!(sign(&zone, &out, &["--zonemd", "sha384"]).status.success());
    let signed = std::fs::read_to_string(&out).expect("signed");
    // Glue is not signed (RFC 4035 §2.2): changing it breaks no RRSIG.
    let glue = signed
        .lines()
        .find(|l| l.starts_with("ns1.sub.example.com.") && l.contains("\tA\t"))
        .expect("glue in small.zone")
        .to_string();
    let changed = glue.replace("192.0.2.254", "198.51.100.99");
    assert_ne!(glue, changed);
    let tampered = write(dir.path(), "t.signed", &signed.replace(&glue, &changed));
    let (code, json) = verify(&tampered);
    assert_eq!(code, 1, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, vec!["zonemd-digest-mismatch"], "{json}");
    assert!(
        !ldns_verify(&tampered).0,
        "ldns-verify-zone -Z must fail too"
    );
}

#[test]
fn zones_ldns_digested_verify_here() {
    require_tool("ldns-signzone", "ldnsutils");
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/small.zone");
    for hash in ["1", "2"] {
        let out = dir.path().join(format!("ldns.{hash}.signed"));
        let o = Command::new("ldns-signzone")
            .args([
                "-z",
                &format!("1:{hash}"),
                "-i",
                "20260101000000",
                "-e",
                "20361231000000",
                "-f",
            ])
            .arg(&out)
            .arg(&zone)
            .arg(project_root().join(KSK))
            .arg(project_root().join(ZSK))
            .output()
            .expect("run ldns-signzone");
        assert!(o.status.success(), "ldns-signzone: {}", text(&o.stderr));
        let signed = std::fs::read_to_string(&out).expect("signed");
        assert_eq!(zonemd_lines(&signed).len(), 1, "ldns wrote a ZONEMD");
        let (code, json) = verify(&out);
        assert_eq!(code, 0, "hash {hash}: {json}");
        // Same zone, one A changed and its RRSIG left alone: the RRSIG
        // and the digest both fail.
        let tampered = write(
            dir.path(),
            "t.signed",
            &signed.replacen("192.0.2.80", "192.0.2.111", 1),
        );
        let (code, json) = verify(&tampered);
        assert_eq!(code, 1);
        assert!(json.contains("zonemd-digest-mismatch"), "{json}");
    }
}

#[test]
fn zonemd_problems_in_the_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = std::fs::read_to_string(project_root().join("testdata/small.zone")).expect("zone");
    // Two records with the same scheme and hash: no verifier could use them.
    let dup = format!(
        "{base}@ ZONEMD 1 1 1 {}\n@ ZONEMD 2 1 1 {}\n",
        "00".repeat(48),
        "11".repeat(48)
    );
    let zone = write(dir.path(), "dup.zone", &dup);
    let out = dir.path().join("dup.signed");
    let o = sign(&zone, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("more than one apex ZONEMD"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists(), "no output on error");
    // A scheme nobody implements stays as it is, with a warning, and the
    // verifier says it did not check it.
    let odd = format!("{base}@ ZONEMD 1 241 1 {}\n", "22".repeat(48));
    let zone = write(dir.path(), "odd.zone", &odd);
    let out = dir.path().join("odd.signed");
    let o = sign(&zone, &out, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("left as it is"),
        "{}",
        text(&o.stderr)
    );
    let signed = std::fs::read_to_string(&out).expect("signed");
    assert!(
        signed.contains(&"22".repeat(48).to_uppercase()),
        "kept as it was"
    );
    let (code, json) = verify(&out);
    assert_eq!(code, 0, "{json}");
    assert!(json.contains("zonemd-unsupported"), "{json}");
}

/// RFC 8976 Appendix A.1 (one line per record).
const RFC8976_A1: &str = "example. 86400 IN SOA ns1 admin 2018031900 1800 900 604800 86400
example. 86400 IN NS ns1
example. 86400 IN NS ns2
example. 86400 IN ZONEMD 2018031900 1 1 c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9a87153b9a9713b3c9ae5cc27777f98b8e730044c
ns1 3600 IN A 203.0.113.63
NS2 3600 IN AAAA 2001:db8::63
";

#[test]
fn check_reports_whether_the_zonemd_matches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = |text_zone: &str, extra: &[&str]| -> (String, String) {
        let p = write(dir.path(), "z.zone", text_zone);
        let mut args = vec![
            "check".to_string(),
            p.display().to_string(),
            "--origin".into(),
            "example.".into(),
            "--format".into(),
            "json".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let o = zonesign(args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        (
            v["zonemd"][0]["status"].as_str().unwrap_or("").to_string(),
            v["warnings"].to_string(),
        )
    };
    assert_eq!(status(RFC8976_A1, &[]).0, "valid");
    let (st, warnings) = status(&RFC8976_A1.replace("203.0.113.63", "203.0.113.64"), &[]);
    assert_eq!(st, "digest-mismatch");
    assert!(warnings.contains("ZONEMD"), "{warnings}");
    let (st, _) = status(&RFC8976_A1.replace("2018031900 1 1", "2018031901 1 1"), &[]);
    assert_eq!(st, "serial-mismatch");
    // A cap that lowers the 86400 TTLs makes the model another zone.
    assert_eq!(status(RFC8976_A1, &["--max-ttl", "3600"]).0, "not-checked");
}
