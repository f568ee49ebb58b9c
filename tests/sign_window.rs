//! Issue #11 item 2: signature windows are judged before any input is
//! read (RFC 4034 §3.1.5), the unsafe ones only pass with
//! `--allow-unsafe-window`, and the output is verified before publishing.

mod common;
use common::*;
use std::path::Path;

const KSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+11164";
const ZSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+64333";
const NOW: &str = "20261202000000";

fn sign(zone: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = common::sign_args(zone, KSK, ZSK, out, &["--now", NOW]);
    args.extend(extra.iter().map(|s| s.to_string()));
    zonesign(args)
}

/// The windows of item 2, each refused before the (missing) zone is read.
const NEVER_VALID: [&[&str]; 4] = [
    &["--expiration", "21060207062816"],
    &["--expiration", "21070101000000"],
    &["--validity", "100000w"],
    &[
        "--inception",
        "20990101000000",
        "--expiration",
        "20990201000000",
    ],
];
const UNSAFE: [&[&str]; 3] = [
    &["--expiration", "now-30m"],
    &["--inception", "now+1d"],
    &["--validity", "1s"],
];

#[test]
fn every_bad_window_is_refused_before_the_input_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such.zone");
    let out = dir.path().join("out");
    for w in NEVER_VALID.iter().chain(UNSAFE.iter()) {
        let o = sign(&missing, &out, w);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{w:?}: {err}");
        assert!(err.contains("signature validity"), "{w:?}: {err}");
        assert!(!err.contains("no-such.zone"), "{w:?} read the input: {err}");
        assert!(!out.exists(), "{w:?} wrote output");
    }
}

#[test]
fn allow_unsafe_window_forces_only_the_forcible_windows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/small.zone");
    for (n, w) in UNSAFE.iter().enumerate() {
        let out = dir.path().join(format!("unsafe{n}"));
        let mut args = w.to_vec();
        args.push("--allow-unsafe-window");
        let o = sign(&zone, &out, &args);
        assert!(o.status.success(), "{w:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("allowed by --allow-unsafe-window"),
            "{w:?}: no warning: {}",
            text(&o.stderr)
        );
        assert!(out.exists());
    }
    for (n, w) in NEVER_VALID.iter().enumerate() {
        let out = dir.path().join(format!("never{n}"));
        let mut args = w.to_vec();
        args.push("--allow-unsafe-window");
        let o = sign(&zone, &out, &args);
        assert_eq!(o.status.code(), Some(2), "{w:?}: {}", text(&o.stderr));
        assert!(!out.exists(), "{w:?} wrote output");
    }
}

#[test]
fn explicit_jitter_outside_the_window_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = sign(
        &dir.path().join("missing.zone"),
        &out,
        &[
            "--validity",
            "1d",
            "--jitter",
            "2d",
            "--allow-unsafe-window",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("jitter"), "{}", text(&o.stderr));
}

#[test]
fn jittered_expirations_stay_inside_the_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let zone = interop_testdata().join("zones/gen1000.zone");
    // A 3-day window: the default jitter shrinks to a quarter of it.
    let o = sign(&zone, &out, &["--validity", "3d", "--max-ttl", "3600"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let signed = std::fs::read_to_string(&out).expect("signed");
    let inception = "20261201230000";
    let latest = "20261204230000";
    let mut n = 0;
    for l in signed.lines().filter(|l| l.contains("\tRRSIG\t")) {
        let f: Vec<&str> = l.split('\t').nth(4).unwrap_or("").split(' ').collect();
        let (exp, inc) = (f[4], f[5]);
        assert_eq!(inc, inception, "{l}");
        assert!(exp > inception && exp <= latest, "{l}");
        n += 1;
    }
    assert!(n > 1000, "only {n} RRSIGs");
}

#[test]
fn a_window_shorter_than_the_zones_max_ttl_is_refused_after_parsing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = write(
        dir.path(),
        "z.zone",
        "example.com. 3600 IN SOA ns.example.com. h.example.com. 1 7200 3600 1209600 300\n\
         example.com. 3600 IN NS ns.example.com.\n\
         ns.example.com. 172800 IN A 192.0.2.1\n",
    );
    let out = dir.path().join("out");
    // 1 day of validity from now against a 2-day TTL (the cap is off).
    let args = ["--expiration", "now+1d", "--max-ttl", "0"];
    let o = sign(&zone, &out, &args);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("maximum TTL 172800"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists());
    // The same window with the zone's TTLs capped below it is fine.
    let o = sign(
        &zone,
        &out,
        &["--expiration", "now+1d", "--max-ttl", "3600"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    // And forced, it signs.
    let out2 = dir.path().join("out2");
    let mut forced = args.to_vec();
    forced.push("--allow-unsafe-window");
    let o = sign(&zone, &out2, &forced);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn every_verify_mode_runs_and_the_report_has_verify_ms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = interop_testdata().join("zones/gen1000.zone");
    let mut checked = Vec::new();
    for mode in ["none", "structure", "full"] {
        let out = dir.path().join(mode);
        let mut args = common::sign_args(&zone, KSK, ZSK, &out, &SIGN_WINDOW);
        args.retain(|a| a != "--quiet");
        args.extend(["--verify", mode, "--report", "json"].map(String::from));
        let o = zonesign(&args);
        assert!(o.status.success(), "{mode}: {}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json report");
        assert!(v["phases"]["verify_ms"].is_u64(), "{mode}: {v}");
        assert_eq!(v["verify"], mode);
        let n = v["rrsigs_verified"].as_u64().expect("rrsigs_verified");
        checked.push((n, v["rrsigs"].as_u64().expect("rrsigs")));
        // The text report names the phase too.
        args.retain(|a| a != "json" && a != "--report");
        let o = zonesign(&args);
        assert!(text(&o.stdout).contains("verify "), "{}", text(&o.stdout));
    }
    let (none, structure, full) = (checked[0], checked[1], checked[2]);
    assert_eq!(none.0, 0);
    assert_eq!(full.0, full.1, "full checks every RRSIG");
    assert!(
        structure.0 >= 100 && structure.0 < full.0,
        "structure checks a sample: {structure:?} of {full:?}"
    );
}
