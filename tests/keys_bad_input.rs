//! Bad key files and bad arguments: each gives a clear message and the
//! documented exit code (2 usage/input, 5 key problem), and no output or
//! error ever contains private key material.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use zonesign::keys::load_key_pair;

const ZONESIGN: &str = env!("CARGO_BIN_EXE_zonesign");

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(ZONESIGN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Asserts the exit code and that stderr contains every `needles`.
fn expect(o: &Output, code: i32, needles: &[&str]) -> String {
    let (out, err) = text(o);
    assert_eq!(
        o.status.code(),
        Some(code),
        "want exit {code}; stdout:\n{out}\nstderr:\n{err}"
    );
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
    err
}

fn keygen(dir: &Path, alg: &str, ksk: bool) -> String {
    let mut args = vec!["keygen", "example.com", "--alg", alg];
    if ksk {
        args.push("--ksk");
    }
    let o = run(&args, dir);
    assert!(o.status.success(), "{:?}", text(&o));
    text(&o).0.trim().to_string()
}

/// The secret values of a .private file (everything but the public RSA parts).
fn secrets(private: &str) -> Vec<String> {
    private
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| {
            matches!(
                k.trim(),
                "PrivateKey"
                    | "PrivateExponent"
                    | "Prime1"
                    | "Prime2"
                    | "Exponent1"
                    | "Exponent2"
                    | "Coefficient"
            )
        })
        .map(|(_, v)| v.trim().to_string())
        .collect()
}

fn assert_no_secret(secrets: &[String], outputs: &[&str]) {
    for s in secrets {
        // Also no long piece of it (a truncated or re-wrapped copy).
        let piece = &s[..s.len().min(16)];
        for o in outputs {
            assert!(!o.contains(s.as_str()), "private key value leaked:\n{o}");
            assert!(
                !o.contains(piece),
                "part of a private key value leaked:\n{o}"
            );
        }
    }
}

fn tag_of(base: &str) -> String {
    base.rsplit('+')
        .next()
        .unwrap()
        .trim_start_matches('0')
        .to_string()
}

#[test]
fn private_files_are_created_0600_and_keys_0644() {
    let tmp = tempfile::tempdir().unwrap();
    for alg in ["8", "13", "15"] {
        let base = keygen(tmp.path(), alg, false);
        let mode = |ext: &str| {
            fs::metadata(tmp.path().join(format!("{base}{ext}")))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode(".private"), 0o600, "{base}");
        assert_eq!(mode(".key"), 0o644, "{base}");
    }
}

#[test]
fn bad_inputs_give_clear_messages_and_exit_codes_without_leaking_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut all_secrets = Vec::new();
    let mut outputs: Vec<String> = Vec::new();
    let record = |o: &Output, outputs: &mut Vec<String>| {
        let (a, b) = text(o);
        outputs.push(a);
        outputs.push(b);
    };

    for alg in ["13", "8", "15", "14"] {
        let a = keygen(dir, alg, true);
        let b = keygen(dir, alg, false);
        let a_priv = fs::read_to_string(dir.join(format!("{a}.private"))).unwrap();
        let b_priv = fs::read_to_string(dir.join(format!("{b}.private"))).unwrap();
        all_secrets.extend(secrets(&a_priv));
        all_secrets.extend(secrets(&b_priv));
        let a_private = format!("{a}.private");

        // The good key shows fine, in both formats.
        for fmt in ["text", "json"] {
            let o = run(&["key", "show", &a, "--format", fmt], dir);
            assert!(o.status.success(), "{:?}", text(&o));
            record(&o, &mut outputs);
        }
        let o = run(
            &["ds", &a, "-d", "sha256", "-d", "sha384", "-d", "sha1"],
            dir,
        );
        assert!(o.status.success());
        assert!(text(&o).1.contains("deprecated"), "sha1 warning");
        record(&o, &mut outputs);

        // Truncated .private (half the file).
        fs::write(dir.join(&a_private), &a_priv[..a_priv.len() / 2]).unwrap();
        let o = run(&["key", "show", &a], dir);
        expect(&o, 5, &[&a_private]);
        record(&o, &mut outputs);

        // Garbled: the key value is not base64.
        let garbled = a_priv
            .lines()
            .map(|l| {
                if l.starts_with("PrivateKey:") || l.starts_with("Prime1:") {
                    format!("{}!!*garbage*", &l[..l.len() - 6])
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(dir.join(&a_private), garbled).unwrap();
        let o = run(&["key", "show", &a], dir);
        expect(&o, 5, &[&a_private, "base64"]);
        record(&o, &mut outputs);

        // Garbled: valid base64 of the wrong key material (one byte flipped
        // in the middle changes the key: mismatch or inconsistent components).
        let flipped = a_priv
            .lines()
            .map(|l| {
                if let Some(v) = l
                    .strip_prefix("PrivateKey: ")
                    .or_else(|| l.strip_prefix("Prime1: "))
                {
                    let label = &l[..l.len() - v.len()];
                    let mut c: Vec<char> = v.chars().collect();
                    c[4] = if c[4] == 'A' { 'B' } else { 'A' };
                    format!("{label}{}", c.into_iter().collect::<String>())
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(dir.join(&a_private), flipped).unwrap();
        let o = run(&["key", "show", &a], dir);
        expect(&o, 5, &[&a_private]);
        record(&o, &mut outputs);

        // Wrong Algorithm line.
        let other = if alg == "13" {
            "8 (RSASHA256)"
        } else {
            "13 (ECDSAP256SHA256)"
        };
        let wrong_alg = a_priv
            .lines()
            .map(|l| {
                if l.starts_with("Algorithm:") {
                    format!("Algorithm: {other}")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(dir.join(&a_private), wrong_alg).unwrap();
        let o = run(&["key", "show", &a], dir);
        expect(&o, 5, &[&format!("{a}.key"), &a_private, "algorithm"]);
        record(&o, &mut outputs);

        // Mismatched halves: B's private key under A's name.
        fs::write(dir.join(&a_private), &b_priv).unwrap();
        let o = run(&["key", "show", &a], dir);
        let mut needles = vec![format!("{a}.key"), a_private.clone(), tag_of(&a)];
        if alg != "13" && alg != "14" {
            // RSA and Ed25519: the private half's own tag is derived and named.
            needles.push(tag_of(&b));
        }
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        expect(&o, 5, &needles);
        record(&o, &mut outputs);

        // World-readable .private: a warning, still loads.
        fs::write(dir.join(&a_private), &a_priv).unwrap();
        fs::set_permissions(dir.join(&a_private), fs::Permissions::from_mode(0o644)).unwrap();
        let o = run(&["key", "show", &a], dir);
        assert!(o.status.success(), "{:?}", text(&o));
        let err = text(&o).1;
        assert!(
            err.contains("warning") && err.contains(&a_private) && err.contains("0644"),
            "{err}"
        );
        record(&o, &mut outputs);
        fs::set_permissions(dir.join(&a_private), fs::Permissions::from_mode(0o600)).unwrap();

        // Missing .private: show reports the public half; loading the pair fails (5).
        fs::rename(dir.join(&a_private), dir.join("moved")).unwrap();
        let o = run(&["key", "show", &a], dir);
        assert!(o.status.success());
        assert!(text(&o).0.contains("no private key file"));
        // (That it is exit 5: src/cli/error.rs, where exit codes are decided.)
        let e = load_key_pair(&dir.join(&a)).unwrap_err();
        assert!(e.to_string().contains(&a_private), "{e}");
        fs::rename(dir.join("moved"), dir.join(&a_private)).unwrap();
        let key = load_key_pair(&dir.join(&a)).unwrap();
        outputs.push(format!("{key:?}"));
        outputs.push(format!("{:?}", key.private_key()));
    }

    // Missing .key.
    let o = run(&["ds", "Knope.+013+00001"], dir);
    expect(&o, 5, &["Knope.+013+00001.key"]);
    record(&o, &mut outputs);
    let o = run(&["key", "show", "Knope.+013+00001.private"], dir);
    expect(&o, 5, &["Knope.+013+00001.key"]);
    record(&o, &mut outputs);

    // Garbled .key.
    fs::write(
        dir.join("Kbad.+013+00002.key"),
        "example.com. IN DNSKEY 257 3 13 (abc",
    )
    .unwrap();
    let o = run(&["ds", "Kbad.+013+00002.key"], dir);
    expect(&o, 5, &["Kbad.+013+00002.key"]);
    record(&o, &mut outputs);

    // Unsupported algorithms: exit 2, naming the supported list.
    for alg in ["5", "7", "16", "3", "RSASHA1", "ED448", "250"] {
        let o = run(&["keygen", "example.com", "--alg", alg], dir);
        expect(
            &o,
            2,
            &["unsupported", "13 (ECDSAP256SHA256)", "15 (ED25519)"],
        );
    }
    fs::write(
        dir.join("Kold.+007+00003.key"),
        "example.com. IN DNSKEY 257 3 7 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=",
    )
    .unwrap();
    let o = run(&["ds", "Kold.+007+00003.key"], dir);
    expect(&o, 2, &["unsupported", "7 (RSASHA1-NSEC3-SHA1)"]);

    // Other usage errors: exit 2.
    expect(
        &run(
            &["keygen", "example.com", "--alg", "8", "--bits", "512"],
            dir,
        ),
        2,
        &["1024"],
    );
    expect(
        &run(
            &["keygen", "example.com", "--alg", "13", "--bits", "2048"],
            dir,
        ),
        2,
        &["RSA"],
    );
    expect(&run(&["keygen", "example..com"], dir), 2, &["zone"]);
    // A missing directory is made (issue #16); a file in its place is a
    // key problem that names it.
    fs::write(dir.join("not-a-dir"), "").unwrap();
    expect(
        &run(&["keygen", "example.com", "--dir", "not-a-dir"], dir),
        5,
        &["not-a-dir"],
    );
    let some_key = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".key") && n.starts_with("Kexample"))
        .unwrap();
    expect(
        &run(&["ds", &some_key, "--digest", "md5"], dir),
        2,
        &["md5"],
    );

    let refs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    assert!(!all_secrets.is_empty());
    assert_no_secret(&all_secrets, &refs);
}
