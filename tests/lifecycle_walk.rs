//! Whole rollovers, signed at every step: the zone signed from the state
//! directory at each `--now` must validate against the DS set the parent
//! has at that step (old, both, new), with BIND's dnssec-verify, ldns's
//! ldns-verify-zone (DS as trust anchor) and our own verifier. No step of a
//! rollover may break validation.

mod lifecycle_common;

use std::path::Path;
use std::process::Command;

use lifecycle_common::*;
use zonesign::lifecycle::ds_sets;
use zonesign::name::Name;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn require(tool: &str, package: &str) {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success());
    assert!(
        ok.unwrap_or(false),
        "peer tool {tool} is missing: install the Debian package {package}"
    );
}

/// Signs testdata/small.zone from the state at `now`, writes the parent's
/// DS set at `now`, and runs the verifiers. Returns the DNSKEY tags.
fn sign_and_validate(env: &Env, now: i64, step: &str) -> Vec<u16> {
    sign_and_validate_with(env, now, step, &[]).0
}

/// The output of step `step` of [`sign_and_validate_with`].
fn step_output(env: &Env, step: &str) -> std::path::PathBuf {
    env.sd()
        .parent()
        .expect("tmp")
        .join(format!("step-{step}"))
        .join("signed")
}

/// [`sign_and_validate`] with more sign flags; also returns the JSON report.
fn sign_and_validate_with(
    env: &Env,
    now: i64,
    step: &str,
    extra: &[&str],
) -> (Vec<u16>, serde_json::Value) {
    require("dnssec-verify", "bind9-utils");
    require("ldns-verify-zone", "ldnsutils");
    let dir = env.sd().parent().expect("tmp").join(format!("step-{step}"));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let signed = dir.join("signed");
    let o = Command::new(bin())
        .arg("sign")
        .arg(root().join("testdata/small.zone"))
        .arg("--state-dir")
        .arg(env.sd())
        .args([
            "--now",
            &now.to_string(),
            "--inception",
            "20260101000000",
            "--expiration",
            "20361231000000",
            "--report",
            "json",
        ])
        .args(extra)
        .arg("-f")
        .arg(&signed)
        .arg("--ds-out")
        .arg(dir.join("dsset-ours"))
        .output()
        .expect("zonesign sign");
    assert!(
        o.status.success(),
        "step {step}: sign: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let zone = Name::from_ascii("example.com").expect("name");
    let parent: Vec<String> = ds_sets(&env.sd(), &zone, now)
        .expect("ds sets")
        .at_parent()
        .iter()
        .map(|d| d.to_text(&zone))
        .collect();
    assert!(!parent.is_empty(), "step {step}: parent has no DS");
    let ds_file = dir.join("dsset-parent");
    std::fs::write(&ds_file, parent.join("\n") + "\n").expect("write DS");
    let run = |cmd: &mut Command, what: &str| {
        let o = cmd.output().expect("run verifier");
        assert!(
            o.status.success(),
            "step {step}: {what} fails (DS at parent: {parent:?}):\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    };
    run(
        Command::new("dnssec-verify")
            .args(["-o", "example.com"])
            .arg(&signed),
        "dnssec-verify",
    );
    run(
        Command::new("ldns-verify-zone")
            .arg("-k")
            .arg(&ds_file)
            .arg(&signed),
        "ldns-verify-zone -k DS",
    );
    run(
        Command::new(bin())
            .arg("verify")
            .arg(&signed)
            .arg("--ds")
            .arg(&ds_file)
            .args(["--now", &now.to_string(), "--quiet"]),
        "zonesign verify --ds",
    );
    let report = serde_json::from_slice(&o.stdout).expect("sign report");
    (dnskey_tags(&signed), report)
}

fn dnskey_tags(signed: &Path) -> Vec<u16> {
    let text = std::fs::read_to_string(signed).expect("signed");
    let mut tags: Vec<u16> = text
        .lines()
        .filter(|l| l.split('\t').nth(3) == Some("DNSKEY"))
        .map(|l| {
            let rd = l.split('\t').nth(4).expect("rdata");
            let mut f = rd.split_whitespace();
            let flags: u16 = f.next().and_then(|v| v.parse().ok()).expect("flags");
            let proto: u8 = f.next().and_then(|v| v.parse().ok()).expect("proto");
            let alg: u8 = f.next().and_then(|v| v.parse().ok()).expect("alg");
            let key = base64_decode(&f.collect::<String>());
            let mut rdata = flags.to_be_bytes().to_vec();
            rdata.push(proto);
            rdata.push(alg);
            rdata.extend_from_slice(&key);
            zonesign::keys::key_tag(&rdata).0
        })
        .collect();
    tags.sort_unstable();
    tags
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64")
}

#[test]
fn zsk_rollover_never_breaks_validation() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let t0 = T0 + DAY;
    let t1 = t0 + 2 * HOUR;
    let t2 = t1 + HOUR + 7 * DAY;
    let before = sign_and_validate(&env, t0 - 1, "before");
    assert_eq!(before.len(), 2);
    env.run("rotate-zsk", t0, &[]).ok();
    let pre = sign_and_validate(&env, t0, "prepublish");
    assert_eq!(pre.len(), 3, "new ZSK pre-published beside the old");
    sign_and_validate(&env, t1 - 1, "before-swap");
    let swapped = sign_and_validate(&env, t1, "new-zsk-signs");
    assert_eq!(
        swapped.len(),
        3,
        "old ZSK still published while its signatures live in caches"
    );
    sign_and_validate(&env, t2 - 1, "before-removal");
    let after = sign_and_validate(&env, t2, "old-zsk-removed");
    assert_eq!(after.len(), 2);
    assert_ne!(after, before, "the ZSK changed");
}

#[test]
fn ksk_rollover_never_breaks_validation() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let t0 = T0 + DAY;
    let before = sign_and_validate(&env, t0 - 1, "before");
    let r = env.run("rotate-ksk", t0, &[]).ok();
    let ds = r.json["ds_records"][0]["record"]
        .as_str()
        .expect("new DS")
        .to_string();
    // DS published beside the old one; the DNSKEY RRset is unchanged.
    assert_eq!(sign_and_validate(&env, t0, "new-ds-pending"), before);
    let c = t0 + 2 * HOUR;
    env.run("confirm-ds-published", c, &["--ds-record", &ds])
        .ok();
    sign_and_validate(&env, c, "both-ds-at-parent");
    let s = c + DAY;
    sign_and_validate(&env, s - 1, "before-swap");
    let swapped = sign_and_validate(&env, s, "new-ksk-signs");
    assert_ne!(swapped, before, "the KSK changed");
    sign_and_validate(&env, s + 3 * HOUR, "old-ds-removed");
}

/// Issue #14: a ZSK rollover walked with `--previous` at every step
/// re-signs what the key set change requires and keeps the rest, and every
/// step still validates.
#[test]
fn zsk_rollover_re_signed_from_the_previous_output_keeps_what_still_serves() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let t0 = T0 + DAY;
    let t1 = t0 + 2 * HOUR;
    let t2 = t1 + HOUR + 7 * DAY;
    let count = |r: &serde_json::Value, k: &str| r[k].as_u64().expect(k);
    let renewed = |r: &serde_json::Value, k: &str| r["renewed"][k].as_u64().expect(k);
    let serial = ["--serial", "increment"];
    let (_, first) = sign_and_validate_with(&env, t0 - 1, "before", &serial);
    let total = count(&first, "rrsigs");
    let mut prev = step_output(&env, "before");
    let mut step = |now: i64, name: &str| {
        let p = prev.display().to_string();
        let mut extra = vec!["--previous", p.as_str(), "--verify", "full"];
        extra.extend_from_slice(&serial);
        let (_, r) = sign_and_validate_with(&env, now, name, &extra);
        prev = step_output(&env, name);
        r
    };

    // Unchanged: nothing new.
    let r = step(t0 - 1, "again");
    assert_eq!(count(&r, "rrsigs_new"), 0, "{r}");

    // The new ZSK pre-published: the DNSKEY RRset changed (its KSK
    // signature renewed) and the SOA for its new serial; all else kept.
    env.run("rotate-zsk", t0, &[]).ok();
    let r = step(t0, "prepublish");
    assert_eq!(count(&r, "rrsigs_new"), 2, "{r}");
    assert_eq!(count(&r, "rrsigs_kept"), total - 2, "{r}");

    // The new ZSK signs: every ZSK signature renewed for the key change;
    // the DNSKEY RRset and its KSK signature are unchanged and kept.
    let r = step(t1, "new-zsk-signs");
    assert_eq!(count(&r, "rrsigs_kept"), 1, "{r}");
    assert_eq!(renewed(&r, "key_change"), total - 1, "{r}");

    // The old ZSK leaves the DNSKEY RRset: its signature and the SOA's.
    let r = step(t2, "old-zsk-removed");
    assert_eq!(count(&r, "rrsigs_new"), 2, "{r}");
    assert_eq!(count(&r, "rrsigs_kept"), total - 2, "{r}");
}
