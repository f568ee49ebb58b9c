//! Issue #11 findings 1, 8 (echoed input) and 10 (read-only status), each
//! a test that failed on c67a9a9.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use common::bin;

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run zonesign")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const ZONE: &str = "$ORIGIN example.\n$TTL 3600\n@ IN SOA ns hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns\nns IN A 192.0.2.1\n";

fn keygen(dir: &Path) -> String {
    keygen_with(dir, &[])
}

fn keygen_with(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["keygen", "-a", "13"];
    args.extend_from_slice(extra);
    args.push("example.");
    let o = run(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

fn private_key_value(path: &Path) -> String {
    let t = std::fs::read_to_string(path).unwrap();
    t.lines()
        .find_map(|l| l.strip_prefix("PrivateKey:"))
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn key_file_checked_as_a_zone_is_named_as_such_and_not_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let k = keygen(d);
    let pv = format!("{k}.private");
    let secret = private_key_value(&d.join(&pv));
    let o = run(d, &["check", &pv]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains(&format!("{pv}:1:1: this is a private key file")),
        "{e}"
    );
    assert!(!e.contains(&secret[..16]), "{e}");
}

#[test]
fn key_file_reached_through_include_is_refused_without_quoting() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let k = keygen(d);
    let pv = format!("{k}.private");
    let secret = private_key_value(&d.join(&pv));
    std::fs::write(d.join("z.db"), format!("{ZONE}$INCLUDE {pv}\n")).unwrap();
    let o = run(d, &["check", "z.db"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("private key file") && e.contains("included from z.db:6"),
        "{e}"
    );
    assert!(!e.contains(&secret[..16]), "{e}");
}

#[test]
fn key_file_given_as_ds_or_trust_anchor_is_not_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ksk = keygen_with(d, &["--ksk"]);
    let zsk = keygen(d);
    std::fs::write(d.join("z.db"), ZONE).unwrap();
    let s = run(
        d,
        &[
            "sign", "z.db", "-k", &ksk, "-z", &zsk, "-f", "s.db", "--quiet",
        ],
    );
    assert!(s.status.success(), "{}", stderr(&s));
    let pv = format!("{ksk}.private");
    let secret = private_key_value(&d.join(&pv));
    for flag in ["--ds", "--trust-anchor"] {
        let o = run(d, &["verify", "s.db", flag, &pv]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{flag}: {e}");
        assert!(e.contains("private key file"), "{flag}: {e}");
        assert!(!e.contains(&secret[..16]), "{flag}: {e}");
    }
}

#[test]
fn garbled_private_file_values_are_never_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let k = keygen(d);
    let secret = private_key_value(&d.join(format!("{k}.private")));
    // Only the values are left: no header, no field names.
    std::fs::write(d.join("garbled.txt"), format!("{secret}\n  IN {secret}\n")).unwrap();
    let o = run(d, &["check", "garbled.txt", "--origin", "example."]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("garbled.txt:2:6: "), "{e}");
    assert!(!e.contains(&secret[..16]), "{e}");
}

#[test]
fn huge_bad_token_gives_a_short_message_with_its_length() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let token = "x".repeat(10_000_000);
    std::fs::write(d.join("z.db"), format!("{ZONE}www 300 IN {token} 1\n")).unwrap();
    let o = run(d, &["check", "z.db"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(e.len() < 500, "message is {} bytes", e.len());
    assert!(e.contains("(10000000 bytes)"), "{e}");
}

#[test]
fn escape_sequences_in_a_zone_reach_the_terminal_only_as_ddd() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("z.db"),
        format!("{ZONE}www 300 IN A\x1b[2J\x07pwned 1\n"),
    )
    .unwrap();
    let o = run(d, &["check", "z.db"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        !o.stderr.contains(&0x1b) && !o.stderr.contains(&0x07),
        "{:?}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("\"A\\027[2J\\007pwned\""),
        "{}",
        stderr(&o)
    );
}

/// A state directory made read-only (files 0444, directory 0555). Root
/// ignores permission bits, so the test also checks that nothing in the
/// directory changed: the same names, bytes and modification times.
#[test]
fn dnssec_status_works_on_a_read_only_state_dir_and_never_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let sd = tmp.path().join("state");
    let sds = sd.display().to_string();
    let o = run(
        tmp.path(),
        &[
            "dnssec",
            "enable",
            "example.",
            "--state-dir",
            &sds,
            "--now",
            "20260101000000",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let snapshot = |dir: &Path| -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| {
                let m = e.metadata().unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                    m.modified().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    for e in std::fs::read_dir(&sd).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o444)).unwrap();
        }
    }
    std::fs::set_permissions(&sd, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&sd);
    let dir_mtime = std::fs::metadata(&sd).unwrap().modified().unwrap();
    // A year later, every time-driven transition is due: status shows them
    // and saves none.
    for now in ["20260102000000", "20270101000000"] {
        for fmt in ["json", "text", "route53"] {
            let o = run(
                tmp.path(),
                &[
                    "dnssec",
                    "status",
                    "example.",
                    "--state-dir",
                    &sds,
                    "--now",
                    now,
                    "--format",
                    fmt,
                ],
            );
            assert!(o.status.success(), "status --now {now}: {}", stderr(&o));
        }
    }
    assert_eq!(snapshot(&sd), before, "status changed the state directory");
    assert_eq!(
        std::fs::metadata(&sd).unwrap().modified().unwrap(),
        dir_mtime
    );
    std::fs::set_permissions(&sd, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn state_yaml_symlinked_elsewhere_is_refused_without_quoting_it() {
    let tmp = tempfile::tempdir().unwrap();
    let sd = tmp.path().join("state");
    let sds = sd.display().to_string();
    let o = run(
        tmp.path(),
        &[
            "dnssec",
            "enable",
            "example.",
            "--state-dir",
            &sds,
            "--now",
            "20260101000000",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let victim = tmp.path().join("shadow");
    std::fs::write(&victim, "root:$6$SECRETHASHxyz:19000:0:99999:7:::\n").unwrap();
    std::fs::remove_file(sd.join("state.yaml")).unwrap();
    std::os::unix::fs::symlink(&victim, sd.join("state.yaml")).unwrap();
    for sub in ["status", "rotate-zsk", "sync"] {
        let o = run(
            tmp.path(),
            &[
                "dnssec",
                sub,
                "example.",
                "--state-dir",
                &sds,
                "--now",
                "20260102000000",
            ],
        );
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{sub}: {e}");
        assert!(e.contains("state.yaml: is a symbolic link"), "{sub}: {e}");
        assert!(
            !e.contains("SECRETHASH") && !e.contains("root"),
            "{sub}: {e}"
        );
    }
}

#[test]
fn state_yaml_parse_errors_quote_no_value() {
    let tmp = tempfile::tempdir().unwrap();
    let sd = tmp.path().join("state");
    let sds = sd.display().to_string();
    let o = run(
        tmp.path(),
        &[
            "dnssec",
            "enable",
            "example.",
            "--state-dir",
            &sds,
            "--now",
            "20260101000000",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let y = std::fs::read_to_string(sd.join("state.yaml")).unwrap();
    for (from, to, field) in [
        ("role: KSK", "role: SECRETVALUE1", "keys[0].role"),
        ("version: 1", "version: SECRETVALUE1", "version"),
        (
            "dnskey_ttl: 3600",
            "dnskey_ttl: SECRETVALUE1",
            "policy.dnskey_ttl",
        ),
    ] {
        assert!(y.contains(from), "{from}");
        std::fs::write(sd.join("state.yaml"), y.replacen(from, to, 1)).unwrap();
        let o = run(
            tmp.path(),
            &[
                "dnssec",
                "status",
                "example.",
                "--state-dir",
                &sds,
                "--now",
                "20260102000000",
            ],
        );
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{e}");
        assert!(e.contains(field), "{field}: {e}");
        assert!(!e.contains("SECRETVALUE1"), "{field}: {e}");
    }
}

/// A key file of a state directory replaced by a link is never read
/// through it: linked to a valid key (which the old code used) or to a
/// file of secrets (whose content must not show), every command that
/// reads the key refuses it as a key problem (exit 5; `status` lists it
/// in `key_problems`), naming the file and saying why.
#[test]
fn state_dir_key_files_symlinked_elsewhere_are_refused_without_quoting_them() {
    let tmp = tempfile::tempdir().unwrap();
    let sd = tmp.path().join("state");
    let sds = sd.display().to_string();
    let o = run(
        tmp.path(),
        &[
            "dnssec",
            "enable",
            "example.",
            "--state-dir",
            &sds,
            "--now",
            "20260101000000",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let get: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let zsk = get["zsk"]["file"].as_str().unwrap().to_string();
    let zone = tmp.path().join("zone");
    std::fs::write(&zone, ZONE).unwrap();
    let zones = zone.display().to_string();
    let out = tmp.path().join("zone.signed").display().to_string();
    let victim = tmp.path().join("shadow");
    std::fs::write(&victim, "root:$6$SECRETHASHxyz:19000:0:99999:7:::\n").unwrap();
    for ext in ["private", "key"] {
        let f = sd.join(format!("{zsk}.{ext}"));
        // The real file moved out of the directory, and a link to it (a
        // valid key) or to the secrets in its place.
        let real = tmp.path().join(format!("real.{ext}"));
        std::fs::rename(&f, &real).unwrap();
        for target in [&real, &victim] {
            std::os::unix::fs::symlink(target, &f).unwrap();
            let runs: [(&str, Vec<&str>, i32); 3] = [
                (
                    "sync",
                    vec!["dnssec", "sync", "example.", "--state-dir", &sds],
                    5,
                ),
                (
                    "status",
                    vec!["dnssec", "status", "example.", "--state-dir", &sds],
                    0,
                ),
                (
                    "sign",
                    vec!["sign", &zones, "--state-dir", &sds, "-f", &out],
                    5,
                ),
            ];
            for (what, mut args, code) in runs {
                args.extend(["--now", "20260102000000"]);
                let o = run(tmp.path(), &args);
                let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
                assert_eq!(o.status.code(), Some(code), "{what} {ext}: {all}");
                assert!(
                    all.contains(&format!("{zsk}.{ext}: is a symbolic link")),
                    "{what} {ext}: {all}"
                );
                assert!(
                    !all.contains("SECRETHASH") && !all.contains("root:"),
                    "{what} {ext}: {all}"
                );
            }
            std::fs::remove_file(&f).unwrap();
        }
        std::fs::rename(&real, &f).unwrap();
    }
}
