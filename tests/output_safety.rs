//! Issue #11 items 3, 6, 7 and 9: the outputs of a run are one transaction,
//! directories we create are 0700, published files follow the umask and
//! private keys are 0600, a lone key half is refused, and no output may be
//! one of the run's inputs.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KEYS: &str = "testdata/keys/bind.alg13";
const KSK: &str = "testdata/keys/bind.alg13/Kexample.com.+013+34808";
const ZSK: &str = "testdata/keys/bind.alg13/Kexample.com.+013+46059";

fn small_zone_in(dir: &Path) -> PathBuf {
    let z = dir.join("small.zone");
    std::fs::copy(project_root().join("testdata/small.zone"), &z).expect("copy zone");
    z
}

/// Signs with the ECDSA test keys; `inception` changes the output bytes.
fn sign(zone: &Path, out: &Path, inception: &str, extra: &[&str]) -> Output {
    let mut args = sign_args(
        zone,
        KSK,
        ZSK,
        out,
        &["--inception", inception, "--expiration", "20361231000000"],
    );
    args.extend(extra.iter().map(|s| s.to_string()));
    zonesign(args)
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("stat").permissions().mode() & 0o7777
}

/// Runs zonesign under a umask (through sh, as an operator's shell would).
fn zonesign_umask(umask: &str, cwd: &Path, args: &[&str]) -> Output {
    let mut script = format!("umask {umask}; exec \"$0\"");
    for i in 1..=args.len() {
        script.push_str(&format!(" \"${i}\""));
    }
    Command::new("sh")
        .current_dir(cwd)
        .arg("-c")
        .arg(script)
        .arg(bin())
        .args(args)
        .output()
        .expect("run zonesign under sh")
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("zonesign-tmp") || n.ends_with(".tmp"))
        .collect()
}

fn assert_refused(o: &Output, what: &str) {
    assert_eq!(o.status.code(), Some(2), "{what}: {}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("refusing to overwrite an input"),
        "{what}: {}",
        text(&o.stderr)
    );
}

// Item 3 -----------------------------------------------------------------

#[test]
fn ds_out_that_is_a_directory_leaves_the_signed_zone_byte_identical() {
    let d = tempfile::tempdir().unwrap();
    let zone = small_zone_in(d.path());
    let out = d.path().join("out.signed");
    let first = sign(&zone, &out, "20260101000000", &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let before = std::fs::read(&out).unwrap();
    std::fs::create_dir(d.path().join("dsdir")).unwrap();
    let ds = d.path().join("dsdir").display().to_string();
    // Another inception: a replaced zone would differ.
    let o = sign(&zone, &out, "20260102000000", &["--ds-out", &ds]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(&out).unwrap(), before, "zone replaced");
    assert!(
        temp_files(d.path()).is_empty(),
        "{:?}",
        temp_files(d.path())
    );
}

#[test]
fn ds_out_below_a_regular_file_leaves_the_signed_zone_and_ds_set_byte_identical() {
    let d = tempfile::tempdir().unwrap();
    let zone = small_zone_in(d.path());
    let out = d.path().join("out.signed");
    let first = sign(&zone, &out, "20260101000000", &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let before = std::fs::read(&out).unwrap();
    let ds_before = std::fs::read(d.path().join("dsset-example.com.")).unwrap();
    let ds = zone.join("x").display().to_string();
    let o = sign(&zone, &out, "20260102000000", &["--ds-out", &ds]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(&out).unwrap(), before, "zone replaced");
    assert_eq!(
        std::fs::read(d.path().join("dsset-example.com.")).unwrap(),
        ds_before
    );
    assert!(
        temp_files(d.path()).is_empty(),
        "{:?}",
        temp_files(d.path())
    );
}

// Item 4 (the part without signals: see kill_safety.rs) ------------------

#[test]
fn next_run_removes_temp_files_of_dead_runs_and_keeps_live_ones() {
    let d = tempfile::tempdir().unwrap();
    let zone = small_zone_in(d.path());
    let out = d.path().join("out.signed");
    // pid_max is at most 2^22: this pid is never alive.
    let dead = d.path().join(".out.signed.zonesign-tmp-999999999-0badf00d");
    let live = d.path().join(format!(
        ".out.signed.zonesign-tmp-{}-0badf00d",
        std::process::id()
    ));
    std::fs::write(&dead, "left by a killed run").unwrap();
    std::fs::write(&live, "a run still writing").unwrap();
    let o = sign(&zone, &out, "20260101000000", &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!dead.exists(), "a dead run's temp file is left");
    assert!(live.exists(), "a live run's temp file was removed");
    assert!(
        text(&o.stderr).contains("left by an interrupted run"),
        "{}",
        text(&o.stderr)
    );
}

// Item 7 -----------------------------------------------------------------

#[test]
fn published_outputs_follow_umask_022_and_private_keys_are_0600() {
    let d = tempfile::tempdir().unwrap();
    small_zone_in(d.path());
    let o = zonesign_umask(
        "022",
        d.path(),
        &[
            "sign",
            "small.zone",
            "--generate-keys",
            "--keys",
            "k",
            "-f",
            "out.signed",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(mode(&d.path().join("out.signed")), 0o644);
    assert_eq!(mode(&d.path().join("dsset-example.com.")), 0o644);
    let e = zonesign_umask(
        "022",
        d.path(),
        &["check", "small.zone", "--emit", "emitted"],
    );
    assert!(e.status.success(), "{}", text(&e.stderr));
    assert_eq!(mode(&d.path().join("emitted")), 0o644);
    let mut privates = 0;
    for f in std::fs::read_dir(d.path().join("k")).unwrap().flatten() {
        let n = f.file_name().to_string_lossy().into_owned();
        if n.ends_with(".private") {
            privates += 1;
            assert_eq!(mode(&f.path()), 0o600, "{n}");
        } else {
            assert_eq!(mode(&f.path()), 0o644, "{n}");
        }
    }
    assert_eq!(privates, 2);
}

// Item 6 -----------------------------------------------------------------

#[test]
fn directories_created_under_umask_000_are_0700_and_private_keys_0600() {
    let d = tempfile::tempdir().unwrap();
    small_zone_in(d.path());
    let o = zonesign_umask(
        "000",
        d.path(),
        &[
            "sign",
            "small.zone",
            "--generate-keys",
            "--keys",
            "new/keys",
            "-f",
            "out.signed",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(mode(&d.path().join("new")), 0o700);
    assert_eq!(mode(&d.path().join("new/keys")), 0o700);
    for f in std::fs::read_dir(d.path().join("new/keys"))
        .unwrap()
        .flatten()
    {
        if f.file_name().to_string_lossy().ends_with(".private") {
            assert_eq!(mode(&f.path()), 0o600);
        }
    }
    // Published outputs follow even this umask.
    assert_eq!(mode(&d.path().join("out.signed")), 0o666);
    let s = zonesign_umask(
        "000",
        d.path(),
        &[
            "dnssec",
            "enable",
            "example.com",
            "--state-dir",
            "state",
            "--now",
            "20260101000000",
        ],
    );
    assert!(s.status.success(), "{}", text(&s.stderr));
    assert_eq!(mode(&d.path().join("state")), 0o700);
    assert_eq!(mode(&d.path().join("state/state.yaml")), 0o600);
}

#[test]
fn group_or_world_writable_key_directory_is_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let zone = small_zone_in(d.path());
    let keys = d.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    for f in std::fs::read_dir(project_root().join(KEYS))
        .unwrap()
        .flatten()
    {
        std::fs::copy(f.path(), keys.join(f.file_name())).unwrap();
    }
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = zonesign([
        "sign",
        &zone.display().to_string(),
        "--keys",
        &keys.display().to_string(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("directory is writable by everyone"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn lone_private_key_in_key_directory_exits_5_naming_the_missing_file() {
    let d = tempfile::tempdir().unwrap();
    let zone = small_zone_in(d.path());
    let keys = d.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    for f in std::fs::read_dir(project_root().join(KEYS))
        .unwrap()
        .flatten()
    {
        std::fs::copy(f.path(), keys.join(f.file_name())).unwrap();
    }
    // The ZSK's .key is gone (as a kill during key generation can leave it).
    std::fs::remove_file(keys.join("Kexample.com.+013+46059.key")).unwrap();
    let out = d.path().join("out.signed");
    let o = zonesign([
        "sign",
        &zone.display().to_string(),
        "--keys",
        &keys.display().to_string(),
        "-f",
        &out.display().to_string(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("Kexample.com.+013+46059.private: lone private key")
            && err.contains("Kexample.com.+013+46059.key is missing"),
        "{err}"
    );
    assert!(!out.exists(), "signed with the KSK only");
}

/// A key directory with the ECDSA test keys, and a third key (a ZSK
/// pre-published for a rollover: Activate in 2030) whose `.private` is
/// kept elsewhere. Returns (dir, keys dir, zone, third key's base name).
fn keys_with_offline_zsk() -> (tempfile::TempDir, PathBuf, PathBuf, String) {
    let d = tempfile::tempdir().unwrap();
    let zone = small_zone_in(d.path());
    let keys = d.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    for f in std::fs::read_dir(project_root().join(KEYS))
        .unwrap()
        .flatten()
    {
        std::fs::copy(f.path(), keys.join(f.file_name())).unwrap();
    }
    let o = zonesign([
        "keygen",
        "example.com",
        "--alg",
        "13",
        "--dir",
        &keys.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let base = text(&o.stdout).trim().to_string();
    let key = keys.join(format!("{base}.key"));
    let t = std::fs::read_to_string(&key).unwrap();
    let line = t.lines().find(|l| l.starts_with("; Activate: ")).unwrap();
    let t = t.replace(
        line,
        "; Activate: 20300101000000 (Tue Jan  1 00:00:00 2030)",
    );
    std::fs::write(&key, t).unwrap();
    std::fs::rename(
        keys.join(format!("{base}.private")),
        d.path().join(format!("{base}.private")),
    )
    .unwrap();
    (d, keys, zone, base)
}

fn sign_dir(zone: &Path, keys: &Path, out: &Path) -> Output {
    zonesign([
        "sign",
        &zone.display().to_string(),
        "--keys",
        &keys.display().to_string(),
        "-f",
        &out.display().to_string(),
        "--now",
        "20270101000000",
    ])
}

/// A lone `.key` (private half kept offline) of a key that does not sign
/// at --now is published from its public half, with a warning naming the
/// missing file; the zone verifies (the old code refused it, exit 5).
#[test]
fn lone_public_key_of_a_key_that_does_not_sign_is_published_with_a_warning() {
    let (d, keys, zone, base) = keys_with_offline_zsk();
    let out = d.path().join("out.signed");
    let o = sign_dir(&zone, &keys, &out);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!("{base}.private is missing"))
            && err.contains("published at --now and does not sign"),
        "{err}"
    );
    let signed = std::fs::read_to_string(&out).unwrap();
    let public = std::fs::read_to_string(keys.join(format!("{base}.key"))).unwrap();
    let b64: String = public
        .lines()
        .find(|l| l.contains("DNSKEY"))
        .unwrap()
        .split_whitespace()
        .skip(7)
        .collect();
    let flat: String = signed.split_whitespace().collect();
    assert!(
        flat.contains(&b64),
        "the offline key is in the DNSKEY RRset"
    );
    let tag: u16 = base.rsplit('+').next().unwrap().parse().unwrap();
    let rrsigs_by = signed
        .lines()
        .filter(|l| l.contains("RRSIG") && l.contains(&format!(" {tag} example.com.")))
        .count();
    assert_eq!(rrsigs_by, 0, "it makes no signature");
    let ds = d.path().join("dsset-example.com.");
    let v = zonesign([
        "verify",
        &out.display().to_string(),
        "--ds",
        &ds.display().to_string(),
        "--now",
        "20270101000000",
    ]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v.stdout));
    // What needs only the public half takes it: ds and key show (the
    // latter warns that the key cannot sign from there).
    let k = keys.join(format!("{base}.key")).display().to_string();
    let o = zonesign(["ds", &k]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains(&format!("IN DS {tag} 13 2 ")));
    let o = zonesign(["key", "show", &k]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("no private key file"),
        "{}",
        text(&o.stderr)
    );
}

/// A lone `.key` of a key that signs at --now (a KSK kept offline while
/// it is active) cannot be used: exit 5 naming the missing file and why.
#[test]
fn lone_public_key_of_a_signing_key_exits_5_naming_the_missing_file() {
    let (d, keys, zone, _) = keys_with_offline_zsk();
    let ksk = "Kexample.com.+013+34808";
    std::fs::remove_file(keys.join(format!("{ksk}.private"))).unwrap();
    let out = d.path().join("out.signed");
    let o = sign_dir(&zone, &keys, &out);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{err}");
    assert!(
        err.contains(&format!("{ksk}.private is missing"))
            && err.contains("KSK 34808 is active at --now, so it must sign"),
        "{err}"
    );
    assert!(!out.exists());
}

// Item 9 -----------------------------------------------------------------

#[test]
fn sign_output_that_is_the_input_zone_is_refused_and_the_zone_unchanged() {
    let d = tempfile::tempdir().unwrap();
    let zone = small_zone_in(d.path());
    let before = std::fs::read(&zone).unwrap();
    // `-o` as dnssec-signzone's origin habit: `sign -o ZONE ZONE`.
    let o = sign(&zone, &zone, "20260101000000", &[]);
    assert_refused(&o, "-o ZONE ZONE");
    assert_eq!(std::fs::read(&zone).unwrap(), before);
    // The same file under another name: ./x, a hard link, a symlink.
    let dotted = d.path().join(".").join("small.zone");
    let hard = d.path().join("hard-link");
    std::fs::hard_link(&zone, &hard).unwrap();
    let soft = d.path().join("sym-link");
    std::os::unix::fs::symlink(&zone, &soft).unwrap();
    for other in [&dotted, &hard, &soft] {
        let o = sign(&zone, other, "20260101000000", &[]);
        assert_refused(&o, &other.display().to_string());
        let ds = sign(
            &zone,
            &d.path().join("out"),
            "20260101000000",
            &["--ds-out", &other.display().to_string()],
        );
        assert_refused(&ds, "--ds-out");
        assert_eq!(std::fs::read(&zone).unwrap(), before);
    }
    assert!(!d.path().join("out").exists(), "nothing written");
}

#[test]
fn sign_output_that_is_an_included_file_or_a_key_file_is_refused() {
    let d = tempfile::tempdir().unwrap();
    for f in ["example.com.zone", "example.com.inc"] {
        std::fs::copy(project_root().join("testdata").join(f), d.path().join(f)).unwrap();
    }
    let zone = d.path().join("example.com.zone");
    let inc = d.path().join("example.com.inc");
    let inc_before = std::fs::read(&inc).unwrap();
    let o = sign(&zone, &inc, "20260101000000", &[]);
    assert_refused(&o, "output = included file");
    assert!(text(&o.stderr).contains("included"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(&inc).unwrap(), inc_before);

    let keyfile = project_root().join(format!("{KSK}.key"));
    let key_before = std::fs::read(&keyfile).unwrap();
    let o = sign(&zone, &keyfile, "20260101000000", &[]);
    assert_refused(&o, "output = key file");
    let o = sign(
        &zone,
        &d.path().join("out"),
        "20260101000000",
        &["--ds-out", &format!("{ZSK}.private")],
    );
    assert_refused(&o, "--ds-out = private key file");
    assert_eq!(std::fs::read(&keyfile).unwrap(), key_before);
    assert!(!d.path().join("out").exists(), "nothing written");
}

#[test]
fn check_emit_over_the_zone_or_an_included_file_is_refused() {
    let d = tempfile::tempdir().unwrap();
    for f in ["example.com.zone", "example.com.inc"] {
        std::fs::copy(project_root().join("testdata").join(f), d.path().join(f)).unwrap();
    }
    let zone = d.path().join("example.com.zone");
    let inc = d.path().join("example.com.inc");
    let (zb, ib) = (std::fs::read(&zone).unwrap(), std::fs::read(&inc).unwrap());
    for target in [&zone, &inc] {
        let o = zonesign([
            "check",
            &zone.display().to_string(),
            "--emit",
            &target.display().to_string(),
        ]);
        assert_refused(&o, &target.display().to_string());
    }
    assert_eq!(std::fs::read(&zone).unwrap(), zb);
    assert_eq!(std::fs::read(&inc).unwrap(), ib);
}

#[test]
fn keygen_writes_both_halves_and_never_overwrites() {
    let d = tempfile::tempdir().unwrap();
    let o = zonesign_umask(
        "022",
        d.path(),
        &["keygen", "example.com", "--ksk", "-K", "."],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let base = text(&o.stdout).trim().to_string();
    let key = d.path().join(format!("{base}.key"));
    let private = d.path().join(format!("{base}.private"));
    assert_eq!(mode(&private), 0o600);
    assert_eq!(mode(&key), 0o644);
    assert!(temp_files(d.path()).is_empty());
    // The library refuses to write over an existing pair.
    let k = zonesign::keys::load_key_pair(&key).unwrap();
    let e = zonesign::keys::write_key_files(d.path(), &k).unwrap_err();
    assert!(matches!(e, zonesign::keys::KeyError::Exists { .. }), "{e}");
}
