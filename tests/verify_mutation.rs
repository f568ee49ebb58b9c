//! Mutation tests: in a valid peer-signed zone, flip one byte of each
//! RRSIG's signature in turn, and drop each RR in turn; the verifier must
//! report every mutation it can see. What it cannot see is spelled out:
//! records nothing signs (RFC 4035 §2.2: glue, and a delegation's NS
//! RRset, are not signed), so dropping one of several such records leaves
//! a valid zone.
//!
//! Runs the library in-process (the same code the CLI calls) to keep the
//! hundreds of verifications fast.

mod common;

use std::path::{Path, PathBuf};

use base64::Engine;
use zonesign::name::Name;
use zonesign::verify::{
    load_anchor_file, load_signed_zone, verify_zone, TrustAnchor, VerifyConfig, VerifyReport,
};
use zonesign::zone::NameKind;

fn data() -> PathBuf {
    common::project_root().join("testdata/verify")
}

fn config(ds: &Path) -> VerifyConfig {
    let apex = Name::from_ascii("example.com.").unwrap();
    VerifyConfig {
        anchor: TrustAnchor::Records {
            records: load_anchor_file(ds, &apex, false).expect("DS file"),
            source: ds.display().to_string(),
        },
        now: zonesign::timespec::parse_time("20300101000000", 0)
            .unwrap()
            .try_into()
            .unwrap(),
        max_ttl: None,
        ..VerifyConfig::default()
    }
}

/// `Ok(report)`, or `Err` when the text no longer loads (exit 2).
fn verify_text(dir: &Path, text: &str, cfg: &VerifyConfig) -> Result<VerifyReport, String> {
    let p = dir.join("mutant.zone");
    std::fs::write(&p, text).unwrap();
    let zone = load_signed_zone(&p, None).map_err(|e| e.to_string())?;
    Ok(verify_zone(&zone, cfg, None))
}

/// Indices of the lines that hold an RR (one RR per line in these zones).
fn rr_lines(lines: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with(';') && !t.starts_with('$')
        })
        .map(|(i, _)| i)
        .collect()
}

/// Owner, type of an RR line (`owner ttl [class] type rdata`).
fn owner_type(line: &str) -> (String, String) {
    let f: Vec<&str> = line.split_whitespace().collect();
    let t = if f[2] == "IN" { f[3] } else { f[2] };
    (f[0].to_string(), t.to_string())
}

fn mutate_zone(zone_file: &str, ds_file: &str) {
    mutate(
        &data().join(zone_file),
        &data().join(ds_file),
        zone_file,
        false,
    );
}

/// Signs testdata/example.com.zone with our signer (Ed25519, deterministic)
/// and runs the same mutations on the result.
fn mutate_our_zone(extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let signed = dir.path().join("signed");
    let ds = dir.path().join("ds");
    let root = common::project_root();
    let mut args = common::sign_args(
        &root.join("testdata/example.com.zone"),
        "testdata/keys/bind.alg15/Kexample.com.+015+11164",
        "testdata/keys/bind.alg15/Kexample.com.+015+64333",
        &signed,
        &common::SIGN_WINDOW,
    );
    args.extend(["--ds-out".to_string(), ds.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let o = common::zonesign(&args);
    assert!(o.status.success(), "sign: {}", common::text(&o.stderr));
    let opt_out = extra.contains(&"--opt-out");
    mutate(
        &signed,
        &ds,
        &format!("our signed example.com {extra:?}"),
        opt_out,
    );
}

#[test]
fn our_nsec_zone_reports_every_mutation() {
    mutate_our_zone(&[]);
}

#[test]
fn our_nsec3_opt_out_zone_reports_every_mutation() {
    mutate_our_zone(&["--nsec3", "--opt-out"]);
}

/// `opt_out`: the zone uses NSEC3 opt-out, so an insecure delegation may
/// vanish without a trace (RFC 5155 §6: that is what opt-out allows).
fn mutate(zone_path: &Path, ds_path: &Path, zone_file: &str, opt_out: bool) {
    let zone_path = zone_path.to_path_buf();
    let cfg = config(ds_path);
    let base = std::fs::read_to_string(&zone_path).unwrap();
    let lines: Vec<&str> = base.lines().collect();
    let dir = tempfile::tempdir().unwrap();
    let clean = verify_text(dir.path(), &base, &cfg).expect("base loads");
    assert!(clean.ok, "{zone_file} base: {:?}", clean.findings);

    // The model of the base zone, to know which records nothing signs.
    let model = load_signed_zone(&zone_path, None).unwrap();
    let kind_of = |owner: &str| {
        Name::from_ascii(owner)
            .ok()
            .and_then(|n| model.find_owner(&n))
            .map(|i| (model.owners[i].kind, i))
    };

    let mut missed = Vec::new();
    let mut flips = 0;
    let mut drops = 0;
    let mut invisible_drops = 0;
    for &i in &rr_lines(&lines) {
        let line = lines[i];
        let (owner, rtype) = owner_type(line);
        // 1. Drop the RR.
        let mut text = String::new();
        for (j, l) in lines.iter().enumerate() {
            if j != i {
                text.push_str(l);
                text.push('\n');
            }
        }
        drops += 1;
        // Unsigned records: glue, and NS at a delegation (RFC 4035 §2.2).
        // Dropping one of several leaves a zone that is still valid.
        let (kind, oi) = kind_of(&owner).expect("owner in model");
        let unsigned = matches!(kind, NameKind::Glue | NameKind::Occluded)
            || (kind == NameKind::Delegation && rtype == "NS");
        let opted_out = opt_out
            && kind == NameKind::Delegation
            && model.rrset(oi, zonesign::rdata::rtype::DS).is_none();
        let same_set = model
            .rrsets(oi)
            .find(|s| zonesign::rdata::type_mnemonic(s.rtype) == rtype.as_str())
            .map(|s| s.rows.len())
            .unwrap_or(0);
        // A second RRSIG of one algorithm over one RRset (the ZSK's beside
        // the KSK's over the DNSKEY RRset): RFC 4035 §2.2 asks for one per
        // algorithm, so without it the zone is still valid.
        let redundant_sig = rtype == "RRSIG" && {
            let f: Vec<&str> = line.split_whitespace().collect();
            let at = if f[2] == "IN" { 4 } else { 3 };
            let (covered, alg) = (f[at], f[at + 1]);
            lines
                .iter()
                .filter(|l| {
                    let g: Vec<&str> = l.split_whitespace().collect();
                    g.len() > at + 1
                        && g[0] == owner
                        && g[at - 1] == "RRSIG"
                        && g[at] == covered
                        && g[at + 1] == alg
                })
                .count()
                > 1
        };
        match verify_text(dir.path(), &text, &cfg) {
            Err(_) => {} // no longer loads (the SOA, the apex NS): exit 2
            Ok(_) if redundant_sig || opted_out => invisible_drops += 1,
            Ok(r) if !r.ok => {}
            Ok(_) if unsigned && (same_set > 1 || kind != NameKind::Delegation) => {
                invisible_drops += 1
            }
            Ok(_) => missed.push(format!("drop line {}: {line}", i + 1)),
        }
        // 2. Flip one byte of the signature.
        if rtype == "RRSIG" {
            let f: Vec<&str> = line.split_whitespace().collect();
            let sig_at = if f[2] == "IN" { 12 } else { 11 };
            let b64: String = f[sig_at..].concat();
            let mut sig = base64::engine::general_purpose::STANDARD
                .decode(&b64)
                .expect("base64 signature");
            let k = sig.len() / 2;
            sig[k] ^= 0x5a;
            let new_sig = base64::engine::general_purpose::STANDARD.encode(&sig);
            let head = f[..sig_at].join(" ");
            let mut text = String::new();
            for (j, l) in lines.iter().enumerate() {
                if j == i {
                    text.push_str(&format!("{head} {new_sig}"));
                } else {
                    text.push_str(l);
                }
                text.push('\n');
            }
            flips += 1;
            match verify_text(dir.path(), &text, &cfg) {
                Ok(r) if !r.ok => {
                    let codes: Vec<&str> = r
                        .findings
                        .iter()
                        .filter(|f| f.severity == zonesign::verify::Severity::Error)
                        .map(|f| f.code.as_str())
                        .collect();
                    // A corrupted DNSKEY RRSIG by the KSK also breaks the trust chain.
                    assert!(
                        codes.contains(&"rrsig-bad-signature"),
                        "flip line {}: {codes:?}",
                        i + 1
                    );
                }
                other => missed.push(format!(
                    "flip line {}: {line} -> {:?}",
                    i + 1,
                    other.map(|r| r.ok)
                )),
            }
        }
    }
    assert!(
        flips > 20 && drops > 100,
        "{zone_file}: {flips} flips, {drops} drops"
    );
    assert!(
        invisible_drops <= 8,
        "{zone_file}: {invisible_drops} unsigned drops"
    );
    assert!(
        missed.is_empty(),
        "{zone_file}: mutations not reported:\n{}",
        missed.join("\n")
    );
}

#[test]
fn mutations_of_an_nsec_zone_are_all_reported() {
    // BIND-signed, ECDSA P-256, NSEC, one RR per line.
    mutate_zone(
        "broken/base/example.alg13.nsec.zone",
        "broken/base/example.alg13.nsec.ds",
    );
}

#[test]
fn mutations_of_an_nsec3_zone_are_all_reported() {
    // BIND-signed, Ed25519, NSEC3, one RR per line.
    mutate_zone(
        "broken/base/example.alg15.nsec3.zone",
        "broken/base/example.alg15.nsec3.ds",
    );
}

#[test]
fn mutations_of_an_ldns_ed25519_nsec_zone_are_all_reported() {
    // ldns-signed, Ed25519, NSEC (ldns writes one RR per line).
    mutate_zone(
        "signed/example.ldns.alg15.nsec.zone",
        "keys/ldns.alg15/dsset-example.com.",
    );
}
