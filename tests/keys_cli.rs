//! The key commands' help text (the flag docs) and `key show --format json`.

use std::process::Command;

const ZONESIGN: &str = env!("CARGO_BIN_EXE_zonesign");

fn run(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let o = Command::new(ZONESIGN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn help_documents_every_flag() {
    let dir = std::env::temp_dir();
    for (cmd, needles) in [
        (
            vec!["keygen", "--help"],
            vec![
                "--alg",
                "ECDSAP256SHA256",
                "--ksk",
                "257",
                "--bits",
                "1024 to 4096",
                "--dir",
            ],
        ),
        (
            vec!["ds", "--help"],
            vec!["KEYFILE", "--digest", "sha256", "sha384", "sha1"],
        ),
        (
            vec!["key", "show", "--help"],
            vec!["KEYFILE", "--format", "json"],
        ),
    ] {
        let (code, out, _) = run(&cmd, &dir);
        assert_eq!(code, 0);
        for n in needles {
            assert!(out.contains(n), "{cmd:?} --help lacks {n:?}:\n{out}");
        }
    }
}

#[test]
fn key_show_json_and_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (code, base, _) = run(
        &["keygen", "Example.COM.", "--alg", "ed25519", "--ksk"],
        dir,
    );
    assert_eq!(code, 0);
    let base = base.trim();
    // File names are lowercased as dnssec-keygen does; records keep the case.
    assert!(base.starts_with("Kexample.com.+015+"), "{base}");
    let key_text = std::fs::read_to_string(dir.join(format!("{base}.key"))).unwrap();
    assert!(
        key_text.contains("\nExample.COM. IN DNSKEY 257 3 15 "),
        "{key_text}"
    );
    assert!(
        key_text.contains("; This is a key-signing key, keyid "),
        "{key_text}"
    );
    let (code, out, err) = run(
        &["key", "show", &format!("{base}.key"), "--format", "json"],
        dir,
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tag: u64 = base.rsplit('+').next().unwrap().parse().unwrap();
    assert_eq!(v["key_tag"], tag);
    assert_eq!(v["algorithm"], 15);
    assert_eq!(v["algorithm_mnemonic"], "ED25519");
    assert_eq!(v["flags"], 257);
    assert_eq!(v["role"], "KSK");
    assert_eq!(v["ds"].as_array().unwrap().len(), 2);
    assert_eq!(v["ds"][0]["digest_type"], 2);
    assert_eq!(v["ds"][1]["digest_type"], 4);
    assert!(v["timing"][0]["value"].is_string(), "created is set");
    assert!(v["private_file"].as_str().unwrap().ends_with(".private"));
    // The DS in the report is what `zonesign ds` prints (owner case kept,
    // digest over the lowercased owner).
    let (_, ds, _) = run(&["ds", base, "-d", "sha256", "-d", "sha384"], dir);
    let lines: Vec<&str> = ds.lines().collect();
    assert_eq!(v["ds"][0]["record"], lines[0]);
    assert_eq!(v["ds"][1]["record"], lines[1]);
    let (code, text, _) = run(&["key", "show", base], dir);
    assert_eq!(code, 0);
    assert!(text.contains(&format!("key tag:    {tag}")), "{text}");
    assert!(text.contains("role:       KSK"));
    assert!(text.contains("15 (ED25519)"));
    assert!(lines[0].starts_with("Example.COM. IN DS "), "{ds}");
}

/// Issue #16: `keygen -K DIR` makes a missing key directory, owner-only
/// whatever the umask; `sign --keys DIR` with no such directory is a key
/// problem (exit 5) that says so, and writes nothing.
#[test]
fn a_missing_key_directory_is_made_by_keygen_and_a_key_problem_for_sign() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        &["keygen", "-K", "new/keys", "example.com", "--ksk"],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    let dir = tmp.path().join("new/keys");
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "key directory mode {mode:o}");
    assert!(dir.join(format!("{}.private", out.trim())).is_file());

    std::fs::write(
        tmp.path().join("z.zone"),
        "$ORIGIN example.com.\n@ 3600 IN SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n",
    )
    .unwrap();
    let (code, _, err) = run(&["sign", "z.zone", "-K", "nokeys"], tmp.path());
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("key directory nokeys does not exist"), "{err}");
    assert!(!tmp.path().join("z.zone.signed").exists());
    std::fs::write(tmp.path().join("afile"), "").unwrap();
    let (code, _, err) = run(&["keygen", "-K", "afile", "example.com"], tmp.path());
    assert_ne!(code, 0, "{err}");
}
