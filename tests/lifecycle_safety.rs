//! Safety of the state: DS confirmation refusals leave state.yaml
//! byte-identical; the lock lets exactly one of two runs through; a kill
//! during the write leaves the old state.yaml; a corrupted state.yaml is an
//! error naming the field; key file problems show as ACTION_NEEDED; sync.

mod lifecycle_common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use lifecycle_common::*;

/// A zone after one finished KSK rollover (parent DS TTL 0, so the swap
/// happens at confirmation), now in a second KSK rollover waiting for its
/// DS. Returns (env, retired KSK's DS record, new DS record).
fn zone_in_second_ksk_rollover() -> (Env, String, String) {
    let env = Env::new("example.com");
    let e = env.enable(T0, &["--parent-ds-ttl", "0"]);
    let ds1 = e.json["ds_records"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    env.run("confirm-ds-published", T0 + 1, &["--ds-record", &ds1])
        .ok();
    let r = env.run("rotate-ksk", T0 + 2, &[]).ok();
    let ds2 = r.json["ds_records"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    env.run("confirm-ds-published", T0 + 3, &["--ds-record", &ds2])
        .ok();
    let g = env.status(T0 + 3);
    assert_eq!(ds_tags(&g["ds_to_remove"]).len(), 1, "{g}");
    let r = env.run("rotate-ksk", T0 + 4, &[]).ok();
    let ds3 = r.json["ds_records"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    (env, ds1, ds3)
}

/// `example.com. IN DS tag alg type digest` with one field replaced.
fn with_field(ds: &str, idx: usize, value: &str) -> String {
    let mut f: Vec<String> = ds.split_whitespace().map(str::to_string).collect();
    f[idx] = value.to_string();
    f.join(" ")
}

#[test]
fn bad_ds_confirmations_are_refused_and_change_nothing() {
    let (env, retired_ds, ds3) = zone_in_second_ksk_rollover();
    let digest = ds3.split_whitespace().nth(6).unwrap().to_string();
    let flipped = format!(
        "{}{}",
        if digest.starts_with('0') { "1" } else { "0" },
        &digest[1..]
    );
    let tag: u32 = ds3.split_whitespace().nth(3).unwrap().parse().unwrap();
    let cases = [
        (
            "wrong digest",
            with_field(&ds3, 6, &flipped),
            "digest does not match",
        ),
        (
            "wrong key tag",
            with_field(&ds3, 3, &((tag + 1) % 65536).to_string()),
            "matches no KSK",
        ),
        (
            "wrong algorithm",
            with_field(&ds3, 4, "8"),
            "algorithm 8 does not match",
        ),
        ("retired key", retired_ds.clone(), "retired KSK"),
        (
            "wrong owner",
            with_field(&ds3, 0, "example.org."),
            "not the zone",
        ),
        (
            "truncated digest",
            with_field(&ds3, 6, &digest[..20]),
            "digest is 32 octets",
        ),
        (
            "garbage",
            "not a ds record at all".to_string(),
            "--ds-record #1",
        ),
    ];
    for (what, record, want) in cases {
        let before = env.state_bytes();
        let r = env
            .run("confirm-ds-published", T0 + 5, &["--ds-record", &record])
            .code(2);
        assert!(r.stderr.contains(want), "{what}: {}", r.stderr);
        assert!(
            r.stderr.contains("--ds-record #1"),
            "{what} names the record: {}",
            r.stderr
        );
        assert_eq!(env.state_bytes(), before, "{what}: state.yaml changed");
    }
    // A good record next to a bad one: still refused, nothing recorded; the
    // message names the bad one.
    let before = env.state_bytes();
    let r = env
        .run(
            "confirm-ds-published",
            T0 + 5,
            &[
                "--ds-record",
                &ds3,
                "--ds-record",
                &with_field(&ds3, 4, "8"),
            ],
        )
        .code(2);
    assert!(
        r.stderr.contains("--ds-record #2") && !r.stderr.contains("--ds-record #1 "),
        "{}",
        r.stderr
    );
    assert_eq!(env.state_bytes(), before);
    // Only the current (old) KSK's DS: valid, but not the one awaited.
    let g = env.status(T0 + 5);
    let cur = g["ds_published"][0]["record"].as_str().unwrap().to_string();
    let before = env.state_bytes();
    let r = env
        .run("confirm-ds-published", T0 + 5, &["--ds-record", &cur])
        .code(2);
    assert!(r.stderr.contains("waiting for its DS"), "{}", r.stderr);
    assert_eq!(env.state_bytes(), before);
    // From a file: FILE:LINE named.
    let f = env.tmp.path().join("dsset");
    std::fs::write(&f, format!("{ds3}\n{}\n", with_field(&ds3, 6, &flipped))).unwrap();
    let r = env
        .run(
            "confirm-ds-published",
            T0 + 5,
            &["--ds", f.to_str().unwrap()],
        )
        .code(2);
    assert!(
        r.stderr.contains(&format!("{}:2", f.display())),
        "{}",
        r.stderr
    );
    // The right one works.
    env.run("confirm-ds-published", T0 + 5, &["--ds-record", &ds3])
        .ok();
}

#[test]
fn a_held_lock_is_a_conflict_and_a_stale_one_is_broken() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let lock = env.sd().join("state.lock");
    // Held by a live process (this test).
    std::fs::write(
        &lock,
        format!("pid={}\ntime=2026-01-01T00:00:00Z\n", std::process::id()),
    )
    .unwrap();
    let before = env.state_bytes();
    let r = env.run("rotate-zsk", T0 + DAY, &[]).code(3);
    assert!(
        r.stderr
            .contains(&format!("process {}", std::process::id())),
        "{}",
        r.stderr
    );
    assert_eq!(env.state_bytes(), before);
    assert!(lock.exists(), "someone else's lock is left alone");
    // Held by a process that is gone: broken with a notice.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    std::fs::write(&lock, format!("pid={dead}\ntime=2026-01-01T00:00:00Z\n")).unwrap();
    let r = env.run("rotate-zsk", T0 + DAY, &[]).ok();
    assert!(r.stderr.contains("stale lock"), "{}", r.stderr);
    assert!(!lock.exists(), "lock released after the run");
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn two_concurrent_rotations_exactly_one_succeeds() {
    // Deterministic: the first run holds the lock (paused before its
    // rename) while the second starts.
    let env = Env::new("example.com");
    env.active_zone(T0);
    let a = env
        .cmd("rotate-zsk", T0 + DAY, &[])
        .env("ZONESIGN_TEST_PAUSE_BEFORE_RENAME", "1500")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the lock", || env.sd().join("state.lock").exists());
    let b = env.run("rotate-zsk", T0 + DAY, &[]);
    let a = finish(a.wait_with_output().unwrap());
    assert_eq!((a.code, b.code), (0, 3), "a: {a:#?}\nb: {b:#?}");
    assert_eq!(env.status(T0 + DAY)["zsk"].as_array().unwrap().len(), 2);
    // Free-running: started together, whoever comes second sees either the
    // lock or the running rollover; both are conflicts.
    for _ in 0..3 {
        let env = Env::new("example.com");
        env.active_zone(T0);
        let spawn = || {
            env.cmd("rotate-zsk", T0 + DAY, &[])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (p, q) = (spawn(), spawn());
        let mut codes = vec![
            finish(p.wait_with_output().unwrap()).code,
            finish(q.wait_with_output().unwrap()).code,
        ];
        codes.sort();
        assert_eq!(codes, vec![0, 3]);
        assert_eq!(
            env.status(T0 + DAY)["zsk"].as_array().unwrap().len(),
            2,
            "one new ZSK only"
        );
    }
}

#[test]
fn kill_during_the_state_write_leaves_the_old_state() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let before = env.state_bytes();
    let mut child = env
        .cmd("rotate-zsk", T0 + DAY, &[])
        .env("ZONESIGN_TEST_PAUSE_BEFORE_RENAME", "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Any temporary file in the state directory, named or not.
    let tmp_file = || {
        std::fs::read_dir(env.sd())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with('.') && n != ".." && n != ".")
    };
    // The new state is written to an unnamed O_TMPFILE in the state
    // directory: found through the child's descriptors, never in the
    // directory itself.
    let fds = format!("/proc/{}/fd", child.id());
    let staged_state = || {
        std::fs::read_dir(&fds).ok()?.flatten().find_map(|e| {
            let target = std::fs::read_link(e.path()).ok()?;
            let t = target.to_string_lossy().into_owned();
            let t_dir = std::fs::canonicalize(env.sd()).ok()?;
            (t.starts_with(&*t_dir.to_string_lossy()) && t.ends_with("(deleted)"))
                .then(|| std::fs::read_to_string(e.path()).ok())
                .flatten()
                .filter(|s| s.contains("status: rotating_zsk"))
        })
    };
    wait_for("the temp file", || staged_state().is_some());
    // The temp file is complete (it holds the new state) ...
    assert!(
        tmp_file().is_none(),
        "no named temporary file while writing"
    );
    // SIGKILL: no destructor, no cleanup.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(env.state_bytes(), before, "state.yaml is the old one");
    assert!(
        env.sd().join("state.lock").exists(),
        "the killed run's lock is left"
    );
    // status only reads (issue #11 item 10): it sees the old state, still
    // active, no rollover, and leaves the lock alone.
    let r = env.run("status", T0 + DAY, &[]).ok();
    assert_eq!(r.json["status"], "active");
    assert!(env.sd().join("state.lock").exists());
    // A dry run only reads: it notes the stale lock and leaves it.
    let r = env.run("sync", T0 + DAY, &["--dry-run"]).ok();
    assert!(r.stderr.contains("stale lock"), "{}", r.stderr);
    assert!(env.sd().join("state.lock").exists());
    assert!(tmp_file().is_none());
    // The killed run's new key files are orphans: sync finds and retires them.
    // The old ZSK's file got its new Inactive/Delete before the kill (key
    // files are written before the state): sync puts back the state's.
    let r = env.run("sync", T0 + DAY, &["--dry-run"]).ok();
    let changes: Vec<String> = r.json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        changes.iter().any(|c| c.contains("key not in state.yaml")),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c.contains("rewrite the timing")),
        "{changes:?}"
    );
    // The next run that takes the lock breaks the stale one (the unnamed
    // temp file died with the killed run).
    let r = env.run("sync", T0 + DAY, &[]).ok();
    assert!(r.stderr.contains("broke a stale lock"), "{}", r.stderr);
    assert!(!env.sd().join("state.lock").exists());
    assert_eq!(r.json["changes"].as_array().unwrap().len(), 2);
    assert_eq!(
        env.run("sync", T0 + DAY, &[]).ok().json["changes"],
        serde_json::json!([])
    );
    assert!(std::fs::read_dir(env.sd().join("retired")).unwrap().count() == 2);
    // And the rotation can now run.
    env.run("rotate-zsk", T0 + DAY, &[]).ok();
}

#[test]
fn corrupted_state_is_an_error_naming_the_field() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let good = String::from_utf8(env.state_bytes()).unwrap();
    let cases = [
        (
            good.replacen("state: active", "state: sleeping", 1),
            "keys[0].state",
        ),
        (
            good.replacen("created: 2026", "created: yesterday-2026", 1),
            "keys[0].created",
        ),
        (
            good.replacen("status: active", "status: rotating_zsk", 1),
            "status",
        ),
        (good.replacen("version: 1", "version: 7", 1), "version"),
        (
            good.replacen("algorithm: 13", "algorithm: 7", 1),
            "algorithm",
        ),
        (
            good.replacen("dnskey_ttl: 3600", "dnskey_tll: 3600", 1),
            "dnskey_tll",
        ),
        (good.replacen("role: KSK", "role: CSK", 1), "keys[0].role"),
        (
            good.replacen("digest_type: 2", "digest_type: 3", 1),
            "ds_published[0]",
        ),
        (good[..good.len() / 2].to_string() + "\n  - [", "line"),
        (String::new(), "state.yaml"),
    ];
    for (text, want) in cases {
        std::fs::write(env.state_yaml(), &text).unwrap();
        for sub in ["status", "rotate-zsk", "sync"] {
            let r = env.run(sub, T0 + DAY, &[]).code(2);
            assert!(r.stderr.contains(want), "{sub} {want}: {}", r.stderr);
            assert!(r.stderr.contains("never reset"), "{}", r.stderr);
        }
        assert_eq!(
            std::fs::read_to_string(env.state_yaml()).unwrap(),
            text,
            "never reset"
        );
    }
    std::fs::write(env.state_yaml(), &good).unwrap();
    env.run("status", T0 + DAY, &[]).ok();
}

#[test]
fn key_file_problems_are_action_needed() {
    let env = Env::new("example.com");
    let e = env.enable(T0, &[]);
    let ksk = e.json["ksk"]["file"].as_str().unwrap().to_string();
    let zsk = e.json["zsk"]["file"].as_str().unwrap().to_string();
    let sd = env.sd();
    let r53 = |now| env.run("status", now, &["--format", "route53"]).ok().json;
    assert_eq!(r53(T0)["Status"]["ServeSignature"], "SIGNING");
    // Missing private file.
    std::fs::rename(
        sd.join(format!("{ksk}.private")),
        env.tmp.path().join("saved"),
    )
    .unwrap();
    let j = r53(T0);
    assert_eq!(j["Status"]["ServeSignature"], "ACTION_NEEDED");
    let k = &j["KeySigningKeys"][0];
    assert_eq!(k["Status"], "ACTION_NEEDED");
    assert!(
        k["StatusMessage"]
            .as_str()
            .unwrap()
            .contains(&format!("{ksk}.private")),
        "{k}"
    );
    // Mismatched: the ZSK's private half under the KSK's name.
    std::fs::copy(
        sd.join(format!("{zsk}.private")),
        sd.join(format!("{ksk}.private")),
    )
    .unwrap();
    let j = r53(T0);
    let msg = j["KeySigningKeys"][0]["StatusMessage"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains(&format!("{ksk}.private")) && msg.contains("do not belong together"),
        "{msg}"
    );
    // Unreadable (garbled).
    std::fs::write(
        sd.join(format!("{ksk}.private")),
        "Private-key-format: v1.3\nAlgorithm: 13\nPrivateKey: !!!\n",
    )
    .unwrap();
    let j = r53(T0);
    assert_eq!(j["KeySigningKeys"][0]["Status"], "ACTION_NEEDED");
    // The GET body lists the problem too; sync cannot fix it (exit 5).
    assert!(!env.status(T0)["key_problems"]
        .as_array()
        .unwrap()
        .is_empty());
    let r = env.run("sync", T0, &[]).code(5);
    assert!(r.stderr.contains(&ksk), "{}", r.stderr);
    // Restored: fine again.
    std::fs::rename(
        env.tmp.path().join("saved"),
        sd.join(format!("{ksk}.private")),
    )
    .unwrap();
    assert_eq!(r53(T0)["Status"]["ServeSignature"], "SIGNING");
    // Disabled: NOT_SIGNING.
    env.run("disable", T0 + 1, &[]).ok();
    assert_eq!(r53(T0 + 1)["Status"]["ServeSignature"], "NOT_SIGNING");
}

#[test]
fn route53_shape_has_exactly_the_documented_fields() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let j = env
        .run("status", T0 + HOUR, &["--format", "route53"])
        .ok()
        .json;
    let top: Vec<&String> = j.as_object().unwrap().keys().collect();
    assert_eq!(top, vec!["KeySigningKeys", "Status"]);
    let k = j["KeySigningKeys"][0].as_object().unwrap();
    let documented = [
        "Name",
        "KmsArn",
        "Flag",
        "SigningAlgorithmMnemonic",
        "SigningAlgorithmType",
        "DigestAlgorithmMnemonic",
        "DigestAlgorithmType",
        "KeyTag",
        "DigestValue",
        "PublicKey",
        "DSRecord",
        "DNSKEYRecord",
        "Status",
        "StatusMessage",
        "CreatedDate",
        "LastModifiedDate",
    ];
    for f in k.keys() {
        assert!(documented.contains(&f.as_str()), "undocumented field {f}");
    }
    assert_eq!(k["Flag"], 257);
    assert_eq!(k["SigningAlgorithmMnemonic"], "ECDSAP256SHA256");
    assert_eq!(k["DigestAlgorithmMnemonic"], "SHA-256");
    assert_eq!(k["DigestAlgorithmType"], 2);
    assert_eq!(k["Status"], "ACTIVE");
    assert!(k["Name"]
        .as_str()
        .unwrap()
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let ds = k["DSRecord"].as_str().unwrap();
    assert!(ds.ends_with(k["DigestValue"].as_str().unwrap()));
    assert!(k["DNSKEYRecord"].as_str().unwrap().starts_with("257 3 13 "));
}

#[test]
fn sync_rewrites_timing_and_restores_retired_keys() {
    let env = Env::new("example.com");
    let e = env.enable(T0, &[]);
    let zsk = e.json["zsk"]["file"].as_str().unwrap().to_string();
    let sd = env.sd();
    // Edit a key file's timing by hand.
    let p = sd.join(format!("{zsk}.private"));
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("Activate: 20260101000000", "Activate: 20300101000000"),
    )
    .unwrap();
    // Move a current key into retired/ by mistake.
    let ksk = e.json["ksk"]["file"].as_str().unwrap().to_string();
    std::fs::create_dir_all(sd.join("retired")).unwrap();
    for ext in ["key", "private"] {
        std::fs::rename(
            sd.join(format!("{ksk}.{ext}")),
            sd.join("retired").join(format!("{ksk}.{ext}")),
        )
        .unwrap();
    }
    let before = env.state_bytes();
    let r = env.run("sync", T0, &["--dry-run"]).ok();
    assert_eq!(r.json["dry_run"], true);
    assert_eq!(r.json["changes"].as_array().unwrap().len(), 2, "{}", r.json);
    assert_eq!(env.state_bytes(), before);
    assert!(
        !sd.join(format!("{ksk}.key")).exists(),
        "dry run moves nothing"
    );
    let r = env.run("sync", T0, &[]).ok();
    assert_eq!(r.json["changes"].as_array().unwrap().len(), 2, "{}", r.json);
    assert!(sd.join(format!("{ksk}.key")).exists());
    assert!(std::fs::read_to_string(&p)
        .unwrap()
        .contains("Activate: 20260101000000"));
    let r = env.run("sync", T0, &[]).ok();
    assert_eq!(r.json["changes"], serde_json::json!([]));
    assert_eq!(r.json["message"], "in sync; nothing changed");
    // A key file missing entirely: a problem sync cannot fix (exit 5).
    std::fs::remove_file(sd.join(format!("{zsk}.key"))).unwrap();
    let r = env.run("sync", T0, &[]).code(5);
    assert!(
        r.json["problems"][0]
            .as_str()
            .unwrap()
            .contains(&format!("{zsk}.key is missing")),
        "{}",
        r.stdout
    );
}

/// Every file of a directory tree with its bytes and mtime, and each
/// directory's mtime (a file created and removed again, like a lock,
/// changes its directory's mtime).
fn tree_snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let m = std::fs::metadata(&d).unwrap();
        out.push((d.display().to_string(), Vec::new(), m.modified().unwrap()));
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                todo.push(p);
            } else {
                out.push((
                    p.display().to_string(),
                    std::fs::read(&p).unwrap(),
                    m.modified().unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Panics naming the entries that differ between two snapshots (their
/// bytes are key files: never printed).
fn assert_same_tree(
    before: &[(String, Vec<u8>, std::time::SystemTime)],
    after: &[(String, Vec<u8>, std::time::SystemTime)],
    what: &str,
) {
    let changed: Vec<&str> = before
        .iter()
        .filter(|b| !after.contains(b))
        .chain(after.iter().filter(|a| !before.contains(a)))
        .map(|e| e.0.as_str())
        .collect();
    assert!(changed.is_empty(), "{what} changed {changed:?}");
}

/// Whether this process may make a private mount namespace with a
/// read-only bind mount (root, or a kernel allowing it), so a test can
/// show that writing really fails: as root, mode 0555 stops nothing.
fn read_only_mount_works() -> bool {
    std::process::Command::new("unshare")
        .args([
            "-m",
            "sh",
            "-c",
            "mount --bind / / 2>/dev/null || mount --bind /tmp /tmp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn sync_dry_run_takes_no_lock_and_works_on_a_read_only_state_dir() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new("example.com");
    let e = env.enable(T0, &[]);
    let ds = e.json["ds_records"][0]["record"].as_str().unwrap();
    env.run("confirm-ds-published", T0 + HOUR, &["--ds-record", ds])
        .ok();
    env.run("rotate-zsk", T0 + 2 * HOUR, &[]).ok();
    let ksk = e.json["ksk"]["file"].as_str().unwrap().to_string();
    let sd = env.sd();
    // Something for the dry run to report: a hand-edited timing, and the
    // rollover's transitions due a month later.
    let p = sd.join(format!("{ksk}.private"));
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("Activate: 20260101000000", "Activate: 20300101000000"),
    )
    .unwrap();
    let later = T0 + 30 * DAY;
    for e in std::fs::read_dir(&sd).unwrap().flatten() {
        let mode = if e.path().is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    std::fs::set_permissions(&sd, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = tree_snapshot(&sd);
    let check = |r: &Run| {
        assert_eq!(r.code, 0, "{r:#?}");
        assert_eq!(r.json["dry_run"], true);
        let changes = r.json["changes"].as_array().unwrap();
        assert!(
            changes
                .iter()
                .any(|c| c.as_str().unwrap().contains("rewrite the timing")),
            "{}",
            r.json
        );
        assert!(changes.len() >= 2, "transitions shown too: {}", r.json);
    };
    check(&env.run("sync", later, &["--dry-run"]));
    assert_same_tree(&before, &tree_snapshot(&sd), "sync --dry-run");
    assert!(!sd.join("state.lock").exists());
    // Where a read-only mount can be had, show that nothing even tries to
    // write: any open for writing fails there with EROFS, root or not.
    if read_only_mount_works() {
        let sds = sd.display().to_string();
        let o = std::process::Command::new("unshare")
            .args([
                "-m",
                "sh",
                "-c",
                "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\"",
                "sh",
                &sds,
                bin(),
                "dnssec",
                "sync",
                "example.com",
                "--state-dir",
                &sds,
                "--now",
                &later.to_string(),
                "--dry-run",
            ])
            .current_dir(env.tmp.path())
            .output()
            .unwrap();
        check(&finish(o));
        assert_same_tree(
            &before,
            &tree_snapshot(&sd),
            "sync --dry-run (read-only mount)",
        );
    }
    // A real sync on the read-only directory cannot take the lock: that is
    // the write a dry run no longer does.
    std::fs::set_permissions(&sd, std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = env.run("sync", later, &[]).ok();
    assert!(!r.json["changes"].as_array().unwrap().is_empty());
}
