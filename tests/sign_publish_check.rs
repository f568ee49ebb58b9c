//! Issue #11 item 2: a signature the verifier rejects is caught before the
//! signed zone is published, and the previous outputs stay byte-identical.
//! Wrong signatures come from a test signer wrapped around the real keys
//! ([`zonesign::sign::ZoneSigningKey`]), through the sign job's own entry.

mod common;
use common::*;
use std::path::{Path, PathBuf};

use zonesign::job;
use zonesign::job::sign::publish_check::{PublishCheckError, VerifyMode};
use zonesign::job::sign::{DenialMode, KeySource, SignConfig, SignRunError};
use zonesign::keys::{KeyError, SigningKey};
use zonesign::sign::{SignatureWindow, ZoneSigningKey};

const KSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+11164";
const ZSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+64333";
/// 2026-12-02.
const NOW: i64 = 1_796_169_600;

/// Signs like the key it wraps, but flips a bit of the signature when
/// `spoil(data)` says so.
struct Spoiling<'k> {
    key: &'k SigningKey,
    spoil: fn(&SigningKey, &[u8]) -> bool,
}

impl ZoneSigningKey for Spoiling<'_> {
    fn algorithm(&self) -> u8 {
        self.key.algorithm().number()
    }
    fn key_tag(&self) -> u16 {
        self.key.key_tag().0
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, KeyError> {
        let mut s = self.key.sign(data)?;
        if (self.spoil)(self.key, data) {
            s[0] ^= 1;
        }
        Ok(s)
    }
}

fn config(zone: &Path, out: &Path, verify: VerifyMode) -> SignConfig {
    SignConfig {
        zonefile: zone.to_path_buf(),
        origin: None,
        output: out.to_path_buf(),
        ds_output: None,
        window: SignatureWindow::new(NOW - 3600, NOW + 30 * 86_400, 86_400, NOW).expect("window"),
        denial: DenialMode::Nsec,
        max_ttl: Some(zonesign::zone::DEFAULT_MAX_TTL),
        dnskey_ttl: None,
        digests: vec![zonesign::ds::DigestType::Sha256],
        zonemd: Vec::new(),
        now: NOW,
        allow_unsafe_window: false,
        verify,
        limits: zonesign::limits::Limits::default(),
        keys: KeySource::Files {
            ksk: vec![project_root().join(KSK)],
            zsk: vec![project_root().join(ZSK)],
        },
        threads: Default::default(),
        previous: None,
        refresh: 7 * 86_400,
        jitter_given: true,
        serial: Default::default(),
        output_format: Default::default(),
    }
}

fn run(
    cfg: &SignConfig,
    spoil: fn(&SigningKey, &[u8]) -> bool,
) -> Result<job::sign::SignReport, SignRunError> {
    job::sign::run_with_signers(cfg, &|_, _| {}, &|key| Box::new(Spoiling { key, spoil }))
}

/// Previous outputs, for comparing after a refused run.
fn previous(dir: &Path) -> (PathBuf, PathBuf) {
    let out = dir.join("zone.signed");
    let ds = dir.join("dsset-example.com.");
    std::fs::write(&out, "previous signed zone\n").expect("write");
    std::fs::write(&ds, "previous DS set\n").expect("write");
    (out, ds)
}

fn assert_untouched(dir: &Path, out: &Path, ds: &Path) {
    assert_eq!(std::fs::read(out).expect("out"), b"previous signed zone\n");
    assert_eq!(std::fs::read(ds).expect("ds"), b"previous DS set\n");
    let left: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temp files left: {left:?}");
}

fn rejected(r: Result<job::sign::SignReport, SignRunError>, code: &str) {
    match r {
        Err(SignRunError::Publish(PublishCheckError::Rejected { report, errors })) => {
            assert!(errors > 0);
            assert!(
                report.findings.iter().any(|f| f.code.as_str() == code),
                "no {code}: {:?}",
                report.findings
            );
        }
        other => panic!("not refused by the publish check: {:?}", other.map(|_| ())),
    }
}

#[test]
fn wrong_zsk_signatures_are_caught_before_publishing_by_the_default_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, ds) = previous(dir.path());
    let zone = interop_testdata().join("zones/gen1000.zone");
    let cfg = config(&zone, &out, VerifyMode::Structure);
    rejected(run(&cfg, |k, _| !k.is_ksk()), "rrsig-bad-signature");
    assert_untouched(dir.path(), &out, &ds);
}

#[test]
fn a_wrong_dnskey_signature_is_caught_by_the_structure_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, ds) = previous(dir.path());
    let zone = interop_testdata().join("zones/gen1000.zone");
    let cfg = config(&zone, &out, VerifyMode::Structure);
    rejected(run(&cfg, |k, _| k.is_ksk()), "rrsig-bad-signature");
    assert_untouched(dir.path(), &out, &ds);
}

/// Signed data ending in the A RDATA of www only (192.0.2.80 is in no
/// other record of small.zone): one bad RRSIG among many.
fn one_rrset(_: &SigningKey, data: &[u8]) -> bool {
    data.ends_with(&[192, 0, 2, 80])
}

#[test]
fn a_single_wrong_signature_is_caught_by_the_full_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, ds) = previous(dir.path());
    let zone = project_root().join("testdata/small.zone");
    let cfg = config(&zone, &out, VerifyMode::Full);
    rejected(run(&cfg, one_rrset), "rrsig-bad-signature");
    assert_untouched(dir.path(), &out, &ds);
}

#[test]
fn without_the_check_the_same_run_publishes() {
    // The check, not something else, is what refused the runs above.
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, _) = previous(dir.path());
    let zone = project_root().join("testdata/small.zone");
    let cfg = config(&zone, &out, VerifyMode::None);
    let r = run(&cfg, one_rrset).expect("signs without a check");
    assert_eq!(r.verify, "none");
    assert_ne!(std::fs::read(&out).expect("out"), b"previous signed zone\n");
    // ... and zonesign verify then finds what the check would have.
    let ds = dir.path().join("dsset-example.com.");
    let o = zonesign([
        "verify".as_ref(),
        out.as_os_str(),
        "--ds".as_ref(),
        ds.as_os_str(),
        "--now".as_ref(),
        "20261202000000".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("rrsig-bad-signature"));
}

#[test]
fn a_failed_publish_check_is_a_publish_error() {
    // The release binary has no way to make a wrong signature (no test
    // backdoor), so the error is checked here and its exit code (1) where
    // the mapping is, in src/cli/error.rs.
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, _) = previous(dir.path());
    let zone = project_root().join("testdata/small.zone");
    let cfg = config(&zone, &out, VerifyMode::Structure);
    let e = run(&cfg, |k, _| k.is_ksk()).expect_err("refused");
    assert!(
        matches!(e, SignRunError::Publish(PublishCheckError::Rejected { .. })),
        "{e}"
    );
    assert!(e.to_string().contains("nothing was published"), "{e}");
}

/// The publish check reads our own staged output, which signing made
/// larger than the input: with `--max-records` at exactly the unsigned
/// zone's records, the run signs and publishes (the check does not apply
/// the run's record cap, or the defaults, to its own output), while the
/// same cap applied to the signed zone refuses it.
#[test]
fn the_check_reads_the_signed_output_past_the_runs_record_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/small.zone");
    let o = zonesign(["check".as_ref(), zone.as_os_str()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let records: u64 = text(&o.stdout)
        .lines()
        .find_map(|l| l.trim().strip_prefix("records "))
        .and_then(|v| v.trim().parse().ok())
        .expect("record count");
    let cap = records.to_string();
    // One record fewer is refused while reading the input: the cap is live.
    let out = dir.path().join("signed");
    let fewer = (records - 1).to_string();
    let mut args = sign_args(&zone, KSK, ZSK, &out, &["--max-records", &fewer]);
    args.extend(SIGN_WINDOW.iter().map(|s| s.to_string()));
    let o = zonesign(&args);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(!out.exists());
    let mut args = sign_args(
        &zone,
        KSK,
        ZSK,
        &out,
        &[
            "--max-records",
            &cap,
            "--verify",
            "full",
            "--report",
            "json",
        ],
    );
    args.retain(|a| a != "--quiet");
    args.extend(SIGN_WINDOW.iter().map(|s| s.to_string()));
    let o = zonesign(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json report");
    assert!(
        report["rrsigs_verified"].as_u64().unwrap_or(0) > 0,
        "{report}"
    );
    // The signed zone is well past the cap: read with it, it is refused.
    let o = zonesign([
        "verify".as_ref(),
        out.as_os_str(),
        "--dnskey-only".as_ref(),
        "--max-records".as_ref(),
        cap.as_ref(),
        "--now".as_ref(),
        "20270101000000".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("record"), "{}", text(&o.stderr));
}
