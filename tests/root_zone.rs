//! The root zone as a first-class case (issue #12 item 1; RFC 8806 local
//! root copies, lab roots): owners' case kept as written (RFC 1035 §2.3.3,
//! RFC 4343), canonical order unaffected (RFC 4034 §6.1), and a root-sized
//! zone signed as the root is (RSASHA256, 2048-bit KSK and ZSK, NSEC)
//! accepted by BIND, ldns and Knot.

mod common;
use common::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn keys(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for ksk in [true, false] {
        let mut args = vec![
            "keygen",
            ".",
            "--alg",
            "8",
            "--bits",
            "2048",
            "--dir",
            dir.to_str().expect("utf-8"),
        ];
        if ksk {
            args.push("--ksk");
        }
        let o = zonesign(&args);
        assert!(o.status.success(), "keygen: {}", text(&o.stderr));
    }
}

fn sign(zone: &Path, keydir: &Path, work: &Path) -> (PathBuf, PathBuf) {
    let out = work.join("root.signed");
    let ds = work.join("root.ds");
    let mut args: Vec<String> = vec![
        "sign".into(),
        zone.display().to_string(),
        "--origin".into(),
        ".".into(),
        "--keys".into(),
        keydir.display().to_string(),
        "-f".into(),
        out.display().to_string(),
        "--ds-out".into(),
        ds.display().to_string(),
        "--quiet".into(),
    ];
    args.extend(SIGN_WINDOW.iter().map(|s| s.to_string()));
    let o = zonesign(&args);
    assert!(o.status.success(), "sign: {}", text(&o.stderr));
    (out, ds)
}

fn all_verifiers_accept(signed: &Path, ds: &Path) {
    peers_accept(signed, ds, ".", true);
}

/// Owner of each line of a zone we wrote, with its type.
fn owners_and_types(zone: &str) -> Vec<(String, String)> {
    zone.lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_string(), f[3].to_string())
        })
        .collect()
}

/// `check --emit` of a root zone whose first owner after the apex is
/// upper case keeps the apex at `.` (it once came out as `Foo. SOA`), and
/// an empty RDATA followed by a mixed-case one keeps its own (both case maps
/// are keyed by arena offset, which an empty item shares with the next).
#[test]
fn mixed_case_root_emits_golden_canonical_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = zonesign([
        "check".as_ref(),
        project_root().join("testdata/root-mixed.zone").as_os_str(),
        "--origin".as_ref(),
        ".".as_ref(),
        "--emit".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "check: {}", text(&o.stderr));
    let got = std::fs::read_to_string(&out).expect("emitted");
    let want = std::fs::read_to_string(project_root().join("testdata/root-mixed.canonical"))
        .expect("golden");
    assert_eq!(got, want, "emit differs from testdata/root-mixed.canonical");
    // BIND reads what we wrote as the same root zone.
    require_tool("named-checkzone", "bind9-utils");
    run_peer(
        Command::new("named-checkzone")
            .args(["-i", "local", "."])
            .arg(&out),
        "named-checkzone",
    );
}

/// Signing and verifying that zone: every apex record, the DNSKEYs and
/// the apex NSEC are at `.`; the other owners keep their case; all four
/// verifiers accept it.
#[test]
fn mixed_case_root_signs_and_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keydir = dir.path().join("keys");
    keys(&keydir);
    let (signed, ds) = sign(
        &project_root().join("testdata/root-mixed.zone"),
        &keydir,
        dir.path(),
    );
    let text_out = std::fs::read_to_string(&signed).expect("signed");
    let recs = owners_and_types(&text_out);
    for t in ["SOA", "DNSKEY"] {
        let owners: Vec<&str> = recs
            .iter()
            .filter(|(_, ty)| ty == t)
            .map(|(o, _)| o.as_str())
            .collect();
        assert!(!owners.is_empty(), "no {t} in the signed zone");
        assert!(owners.iter().all(|o| *o == "."), "{t} owners: {owners:?}");
    }
    assert!(recs.iter().any(|(o, t)| o == "." && t == "NSEC"));
    assert!(recs.iter().any(|(o, t)| o == "Foo." && t == "NS"));
    assert!(recs.iter().any(|(o, t)| o == "ns1.Foo." && t == "A"));
    all_verifiers_accept(&signed, &ds);
}

/// The shape of the real root: 1,500 TLD delegations, each with two NS,
/// most with a DS set, in-bailiwick glue (A and AAAA) for a third of them,
/// owners in mixed case, signed with RSASHA256 2048-bit KSK and ZSK and
/// NSEC, as the root is. All verifiers accept it, and our verifier sees
/// every delegation.
#[test]
fn root_sized_zone_signs_and_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut z = String::new();
    z.push_str("$TTL 86400\n");
    z.push_str(
        ". SOA a.root-servers.net. nstld.verisign-grs.com. 2026120300 1800 900 604800 86400\n",
    );
    writeln!(z, "tld-servers.net. 172800 NS a.root-servers.net.").unwrap();
    for l in b'a'..=b'm' {
        let l = l as char;
        writeln!(z, ". 518400 NS {l}.root-servers.net.").unwrap();
        writeln!(
            z,
            "{l}.root-servers.net. 518400 A 198.51.100.{}",
            l as u8 - b'a' + 1
        )
        .unwrap();
        writeln!(
            z,
            "{l}.root-servers.net. 518400 AAAA 2001:db8:100::{:x}",
            l as u8 - b'a' + 1
        )
        .unwrap();
    }
    const TLDS: u32 = 1500;
    let mut with_ds = 0;
    for i in 0..TLDS {
        // Mixed case as zone editors write it: some all upper, some title.
        let tld = match i % 3 {
            0 => format!("tld{i}"),
            1 => format!("TLD{i}"),
            _ => format!("Tld{i}"),
        };
        writeln!(z, "{tld}. 172800 NS ns.tld-servers.net.").unwrap();
        if i % 3 == 0 {
            // In-bailiwick servers need glue (RFC 9471).
            writeln!(z, "{tld}. 172800 NS ns1.{tld}.").unwrap();
            writeln!(
                z,
                "ns1.{tld}. 172800 A 192.0.{}.{}",
                (i / 250) % 256,
                i % 250 + 1
            )
            .unwrap();
            writeln!(z, "ns1.{tld}. 172800 AAAA 2001:db8:{i:x}::53").unwrap();
        }
        if i % 10 != 9 {
            with_ds += 1;
            // A SHA-256 digest-shaped value per TLD (not a real key's).
            let mut digest = String::new();
            for k in 0..32u32 {
                write!(
                    digest,
                    "{:02X}",
                    (i.wrapping_mul(31).wrapping_add(k * 7)) % 256
                )
                .unwrap();
            }
            writeln!(z, "{tld}. 86400 DS {} 8 2 {digest}", (i * 37) % 65536).unwrap();
        }
    }
    let zone = write(dir.path(), "root.zone", &z);
    let keydir = dir.path().join("keys");
    keys(&keydir);
    let (signed, ds) = sign(&zone, &keydir, dir.path());
    let signed_text = std::fs::read_to_string(&signed).expect("signed");
    let recs = owners_and_types(&signed_text);
    let ds_count = recs.iter().filter(|(_, t)| t == "DS").count();
    assert_eq!(ds_count, with_ds, "DS records in the signed zone");
    assert!(recs.iter().any(|(o, t)| o == "TLD1." && t == "NS"));
    assert!(recs
        .iter()
        .filter(|(_, t)| t == "SOA")
        .all(|(o, _)| o == "."));
    // Our report counts the delegations.
    let o = zonesign([
        "check".as_ref(),
        signed.as_os_str(),
        "--origin".as_ref(),
        ".".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "check: {}", text(&o.stderr));
    let report = text(&o.stdout);
    // The TLDs and tld-servers.net.
    let delegations = TLDS + 1;
    assert!(
        report.contains(&format!("\"delegations\": {delegations},")),
        "report: {report}"
    );
    assert!(
        report.contains(&format!("\"secure_delegations\": {with_ds},")),
        "report: {report}"
    );
    all_verifiers_accept(&signed, &ds);
}
