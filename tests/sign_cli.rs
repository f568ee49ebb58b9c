//! `zonesign sign`: golden output, determinism across thread counts, the
//! report, and faults that must leave old output intact.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const KSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+11164";
const ZSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+64333";

/// Signs with the Ed25519 test keys over [`SIGN_WINDOW`].
fn sign_args(zone: &Path, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = common::sign_args(zone, KSK, ZSK, out, &SIGN_WINDOW);
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn sign_ok(zone: &Path, out: &Path, extra: &[&str]) -> String {
    let o = zonesign(sign_args(zone, out, extra));
    assert!(o.status.success(), "sign: {}", text(&o.stderr));
    std::fs::read_to_string(out).expect("signed output")
}

/// Ed25519 is deterministic (RFC 8032), so the signed zone is exact.
#[test]
fn golden_ed25519_signed_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (golden, extra) in [
        ("small.signed", &[][..]),
        ("small.nsec3.signed", &["--nsec3"][..]),
    ] {
        let got = sign_ok(
            &project_root().join("testdata/small.zone"),
            &dir.path().join("out"),
            extra,
        );
        let want = std::fs::read_to_string(project_root().join("testdata").join(golden))
            .expect("golden file");
        if got != want {
            std::fs::write(
                project_root()
                    .join("target")
                    .join(format!("{golden}.actual")),
                &got,
            )
            .ok();
        }
        assert_eq!(
            got, want,
            "differs from testdata/{golden} (actual in target/)"
        );
    }
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = interop_testdata().join("zones/gen1000.zone");
    for mode in [&[][..], &["--nsec3", "--opt-out"][..]] {
        let mut a_args = mode.to_vec();
        a_args.extend(["--threads", "1"]);
        let mut b_args = mode.to_vec();
        b_args.extend(["--threads", "4"]);
        let a = sign_ok(&zone, &dir.path().join("a"), &a_args);
        let b = sign_ok(&zone, &dir.path().join("b"), &b_args);
        assert!(a.lines().count() > 5000);
        assert!(a == b, "--threads 1 and --threads 4 differ ({mode:?})");
    }
}

#[test]
fn report_counts_and_ds_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("signed");
    let mut args = sign_args(
        &project_root().join("testdata/small.zone"),
        &out,
        &["--report", "json"],
    );
    args.retain(|a| a != "--quiet");
    let o = zonesign(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json report");
    assert_eq!(v["zone"], "example.com.");
    // www AAAA 2w is capped to one week.
    assert_eq!(v["ttl_capped_records"]["AAAA"], 1);
    assert_eq!(v["keys"][0]["role"], "KSK");
    assert_eq!(
        v["keys"][0]["rrsigs"], 1,
        "the KSK signs only the DNSKEY RRset"
    );
    assert!(v["keys"][1]["rrsigs"].as_u64().expect("count") > 10);
    for phase in ["parse_ms", "sort_ms", "denial_ms", "sign_ms", "write_ms"] {
        assert!(v["phases"][phase].is_u64(), "phase {phase}");
    }
    // dsset-<zone> beside the output, dnssec-dsfromkey's format.
    let ds = std::fs::read_to_string(dir.path().join("dsset-example.com.")).expect("dsset");
    let want =
        std::fs::read_to_string(project_root().join("testdata/keys/bind.alg15/dsset-example.com."))
            .expect("dsset");
    assert_eq!(
        ds.lines().next(),
        want.lines().next(),
        "SHA-256 DS as dnssec-dsfromkey wrote it"
    );
    // The capped TTL is what the RRSIG covers.
    let signed = std::fs::read_to_string(&out).expect("signed");
    assert!(signed.contains("www.example.com.\t604800\tIN\tAAAA"));
    assert!(signed.contains("RRSIG\tAAAA 15 3 604800 "));
}

#[test]
fn what_is_signed_and_what_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let signed = sign_ok(
        &project_root().join("testdata/small.zone"),
        &dir.path().join("out"),
        &[],
    );
    let has = |needle: &str| {
        signed.lines().any(|l| {
            l.starts_with(needle.split('|').next().unwrap_or(""))
                && l.contains(needle.split('|').nth(1).unwrap_or(""))
        })
    };
    // DS at a delegation is signed; the delegation NS and glue are not (RFC 4035 §2.2).
    assert!(has("sub.example.com.\t|RRSIG\tDS "));
    assert!(!has("sub.example.com.\t|RRSIG\tNS "));
    assert!(!has("ns1.sub.example.com.\t|RRSIG"));
    assert!(!has("ns1.sub.example.com.\t|NSEC"));
    // The NSEC at a secure delegation lists NS DS RRSIG NSEC only.
    assert!(has(
        "sub.example.com.\t|NSEC\t*.wild.example.com. NS DS RRSIG NSEC"
    ));
    assert!(has(
        "insecure.example.com.\t|NSEC\tmail.example.com. NS RRSIG NSEC"
    ));
    // Wildcard: labels field excludes the '*' (RFC 4034 §3.1.3).
    assert!(has("*.wild.example.com.\t|RRSIG\tTXT 15 3 "));
    // NSEC TTL = min(SOA TTL 3600, MINIMUM 300) (RFC 9077).
    assert!(has("example.com.\t300\tIN\tNSEC|"));
}

fn no_temp_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .all(|e| !e.file_name().to_string_lossy().ends_with(".tmp"))
}

/// Runs a failing sign; asserts the exit code, a message containing
/// `word`, the old output untouched and no temp file left.
fn fails(args: Vec<String>, out: &Path, code: i32, word: &str) {
    std::fs::write(out, "old signed zone\n").expect("write old");
    let o = zonesign(&args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(
        err.to_lowercase().contains(&word.to_lowercase()),
        "message {err:?} lacks {word:?}"
    );
    assert_eq!(
        std::fs::read_to_string(out).expect("old output"),
        "old signed zone\n"
    );
    assert!(no_temp_files(out.parent().expect("dir")));
}

#[test]
fn fault_unreadable_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let mut args = sign_args(&project_root().join("testdata/small.zone"), &out, &[]);
    let k = args.iter().position(|a| a == "-k").expect("-k") + 1;
    args[k] = dir
        .path()
        .join("Kexample.com.+015+00000")
        .display()
        .to_string();
    fails(args, &out, 5, "Kexample.com.+015+00000");
}

#[test]
fn fault_key_for_another_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kd = dir.path().join("keys");
    std::fs::create_dir(&kd).expect("mkdir");
    let o = zonesign([
        "keygen",
        "example.net",
        "--ksk",
        "--dir",
        kd.to_str().expect("utf8"),
    ]);
    assert!(o.status.success());
    let base = text(&o.stdout).trim().to_string();
    let out = dir.path().join("out");
    let mut args = sign_args(&project_root().join("testdata/small.zone"), &out, &[]);
    let k = args.iter().position(|a| a == "-k").expect("-k") + 1;
    args[k] = kd.join(base).display().to_string();
    fails(args, &out, 5, "example.net");
}

#[test]
fn fault_expired_keys_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kd = dir.path().join("keys");
    std::fs::create_dir(&kd).expect("mkdir");
    // Copy the Ed25519 pair with timing that ended in 2020.
    for base in [KSK, ZSK] {
        let b = project_root().join(base);
        let name = b.file_name().expect("name").to_string_lossy().into_owned();
        std::fs::copy(
            b.with_file_name(format!("{name}.key")),
            kd.join(format!("{name}.key")),
        )
        .expect("copy");
        let private =
            std::fs::read_to_string(b.with_file_name(format!("{name}.private"))).expect("private");
        let private: String = private
            .lines()
            .filter(|l| !l.starts_with("Inactive") && !l.starts_with("Delete"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            + "Inactive: 20200101000000\n";
        std::fs::write(kd.join(format!("{name}.private")), private).expect("write");
    }
    let out = dir.path().join("out");
    let args = vec![
        "sign".to_string(),
        project_root()
            .join("testdata/small.zone")
            .display()
            .to_string(),
        "--keys".into(),
        kd.display().to_string(),
        "-f".into(),
        out.display().to_string(),
        "--quiet".into(),
    ];
    fails(args, &out, 5, "inactive");
}

#[test]
fn fault_output_directory_not_writable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    let out = ro.join("out");
    std::fs::write(&out, "old signed zone\n").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = ro.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        // Running as root: permissions do not stop us; use a path under a file instead.
        let _ = std::fs::remove_file(&probe);
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let not_dir = dir.path().join("plainfile");
        std::fs::write(&not_dir, "").expect("write");
        let o = zonesign(sign_args(
            &project_root().join("testdata/small.zone"),
            &not_dir.join("out"),
            &[],
        ));
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(text(&o.stderr).contains("plainfile"));
        return;
    }
    let o = zonesign(sign_args(
        &project_root().join("testdata/small.zone"),
        &out,
        &[],
    ));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(
        std::fs::read_to_string(&out).expect("old"),
        "old signed zone\n"
    );
    assert!(no_temp_files(&ro));
}

/// Disk full, simulated with a file-size limit (ulimit -f): the write
/// fails part-way; the old output must survive and no temp file remain.
#[test]
fn fault_disk_full() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::write(&out, "old signed zone\n").expect("write");
    let args = sign_args(&interop_testdata().join("zones/gen1000.zone"), &out, &[]);
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    // 64 blocks of 512 bytes: far less than the signed zone. SIGXFSZ is
    // ignored so the write returns EFBIG instead of killing the process.
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec '{}' {}",
        bin(),
        quoted.join(" ")
    );
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("bash");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("cannot write"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out).expect("old"),
        "old signed zone\n"
    );
    assert!(no_temp_files(dir.path()));
}

#[test]
fn bad_zone_gives_position_and_no_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = write(
        dir.path(),
        "bad.zone",
        "$ORIGIN example.com.\n$TTL 1\n@ SOA a b 1 2 3 4 5\n@ NS a\nx A 1.2.3\n",
    );
    let out = dir.path().join("out");
    let o = zonesign(sign_args(&zone, &out, &[]));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).starts_with(&format!("{}:5:5: ", zone.display())),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists());
}

#[test]
fn generate_keys_into_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kd: PathBuf = dir.path().join("k");
    let out = dir.path().join("out");
    let o = zonesign([
        "sign",
        project_root()
            .join("testdata/small.zone")
            .to_str()
            .expect("utf8"),
        "--keys",
        kd.to_str().expect("utf8"),
        "--generate-keys",
        "-f",
        out.to_str().expect("utf8"),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let files: Vec<String> = std::fs::read_dir(&kd)
        .expect("keys")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.iter().filter(|f| f.ends_with(".private")).count(), 2);
    assert!(files.iter().all(|f| f.starts_with("Kexample.com.+013+")));
    // Without --generate-keys and without keys: a clear error.
    let o = zonesign([
        "sign",
        project_root()
            .join("testdata/small.zone")
            .to_str()
            .expect("utf8"),
        "--keys",
        dir.path().join("none").to_str().expect("utf8"),
        "-f",
        out.to_str().expect("utf8"),
    ]);
    // A missing key directory is a key problem (issue #16).
    assert_eq!(o.status.code(), Some(5), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--generate-keys"));
}

/// Issue #16: `--quiet` silences progress and the default report, never
/// the report that was asked for.
#[test]
fn quiet_never_drops_a_report_that_was_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/small.zone");
    let out = dir.path().join("out");
    let o = zonesign(sign_args(&zone, &out, &["--report", "json"]));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("the JSON report");
    assert_eq!(v["zone"], "example.com.");
    let quiet_default: Vec<String> = sign_args(&zone, &out, &[])
        .into_iter()
        .filter(|a| a != "--report" && a != "json" && a != "text")
        .collect();
    let o = zonesign(&quiet_default);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        quiet_default.iter().any(|a| a == "--quiet") && o.stdout.is_empty(),
        "--quiet alone prints no report: {}",
        text(&o.stdout)
    );
}

/// Issue #16: the SOA comes first (RFC 1035 §5.2), with its RRSIGs, then
/// the rest of the apex in canonical type order, each RRset followed by its
/// own RRSIGs, the NSEC last.
#[test]
fn the_soa_comes_first_then_the_apex_in_type_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/small.zone");
    for extra in [&[][..], &["--nsec3"][..]] {
        let got = sign_ok(&zone, &dir.path().join("out"), extra);
        let apex: Vec<(String, String)> = got
            .lines()
            .take_while(|l| l.starts_with("example.com.\t"))
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let covered = f[4].split(' ').next().unwrap_or("").to_string();
                (f[3].to_string(), covered)
            })
            .collect();
        assert_eq!(apex[0].0, "SOA", "{extra:?}: {apex:?}");
        assert_eq!(apex[1], ("RRSIG".to_string(), "SOA".to_string()));
        // Every RRSIG follows the RRset it covers.
        let mut current = String::new();
        for (t, covered) in &apex {
            if t == "RRSIG" {
                assert_eq!(covered, &current, "{extra:?}: {apex:?}");
            } else {
                current = t.clone();
            }
        }
        let types: Vec<&str> = apex
            .iter()
            .map(|(t, _)| t.as_str())
            .filter(|t| *t != "RRSIG")
            .collect();
        let pos = |t: &str| types.iter().position(|x| *x == t);
        assert!(
            pos("NS") < pos("MX") && pos("MX") < pos("DNSKEY"),
            "{types:?}"
        );
        if extra.is_empty() {
            assert_eq!(types.last(), Some(&"NSEC"), "{types:?}");
        }
    }
    // check --emit too.
    let out = dir.path().join("emit");
    let o = zonesign([
        "check",
        zone.to_str().expect("utf-8"),
        "--emit",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let emitted = std::fs::read_to_string(&out).expect("emitted");
    assert_eq!(
        emitted.lines().next().and_then(|l| l.split('\t').nth(3)),
        Some("SOA")
    );
}

/// Runs zonesign with `stdin` as its standard input.
fn zonesign_piped(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(bin())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn zonesign");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("zonesign output")
}

/// Issue #16: `sign - --origin X` reads standard input and writes the
/// signed zone to standard output (only once it is signed and verified),
/// `verify -` and `check --emit -` work in the same pipeline.
#[test]
fn a_zone_pipes_through_sign_and_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = std::fs::read(project_root().join("testdata/small.zone")).expect("zone");
    let ds = dir.path().join("ds");
    let ds_s = ds.to_str().expect("utf-8");
    let base = [
        "sign",
        "-",
        "--origin",
        "example.com",
        "-k",
        KSK,
        "-z",
        ZSK,
        "--ds-out",
        ds_s,
        "--inception",
        "20260101000000",
        "--expiration",
        "20361231000000",
    ];
    let o = zonesign_piped(&base, &zone);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let signed = o.stdout;
    assert!(
        text(&signed).starts_with("example.com.\t3600\tIN\tSOA\t"),
        "the zone on stdout"
    );
    // The same bytes as the golden file written by -o.
    let golden = std::fs::read(project_root().join("testdata/small.signed")).expect("golden");
    assert_eq!(text(&signed), text(&golden));
    let o = zonesign_piped(
        &[
            "verify",
            "-",
            "--origin",
            "example.com",
            "--ds",
            ds_s,
            "--now",
            "20300101000000",
        ],
        &signed,
    );
    assert!(
        o.status.success(),
        "verify -: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );

    // A run that fails writes nothing to stdout.
    let o = zonesign_piped(
        &base,
        b"$ORIGIN example.com.\n@ 3600 IN SOA ns hm 1 2 3 4 5\nbad record here\n",
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
    // Standard input needs --origin.
    let o = zonesign_piped(&["check", "-"], &zone);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    // check --emit - writes the zone to stdout, the report to stderr.
    let o = zonesign_piped(
        &["check", "-", "--origin", "example.com", "--emit", "-"],
        &zone,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let emitted = text(&o.stdout);
    assert!(
        emitted.starts_with("example.com.\t3600\tIN\tSOA\t"),
        "{emitted}"
    );
    assert!(
        !emitted.contains("record"),
        "no report on stdout: {emitted}"
    );
}
