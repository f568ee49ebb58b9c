//! No command ever prints private key material (issue #11, item 1).
//!
//! Keys of every algorithm are generated in a temporary directory; every
//! command of the suite is run on them, normally and on every error path
//! that reads a key file where it should not (a key file as a zone, through
//! `$INCLUDE`, as `--ds`/`--trust-anchor`, `state.yaml` linked to a
//! `.private`, garbled key files), with text and JSON output; stdout and
//! stderr are searched for every secret of those keys: each private field's
//! base64 as in the `.private` file, its hex (both cases), its raw bytes,
//! and every 16-character piece of the base64 and the hex.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{b64, bin};

const ALGS: [&str; 5] = ["8", "10", "13", "14", "15"];
/// Fields of a `.private` file that are secret (Modulus and PublicExponent
/// are the public key).
const SECRET_FIELDS: [&str; 7] = [
    "PrivateKey",
    "PrivateExponent",
    "Prime1",
    "Prime2",
    "Exponent1",
    "Exponent2",
    "Coefficient",
];
const NOW: &str = "20260601000000";

/// Every secret of the `.private` files in `dir` (and below), as text
/// forms and raw bytes.
#[derive(Default)]
struct Secrets {
    texts: Vec<String>,
    raw: Vec<Vec<u8>>,
}

impl Secrets {
    fn add_private(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).unwrap();
        for line in text.lines() {
            let Some((label, value)) = line.split_once(':') else {
                continue;
            };
            if !SECRET_FIELDS.contains(&label.trim()) {
                continue;
            }
            let value = value.trim().to_string();
            let bytes = b64(&value);
            let hex_lower: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let hex_upper = hex_lower.to_uppercase();
            for form in [&value, &hex_lower, &hex_upper] {
                self.texts.push(form.clone());
                let chars: Vec<char> = form.chars().collect();
                for w in chars.windows(16) {
                    self.texts.push(w.iter().collect());
                }
            }
            for w in bytes.windows(16) {
                self.raw.push(w.to_vec());
            }
        }
    }

    fn add_dir(&mut self, dir: &Path) {
        for e in walk(dir) {
            if e.extension().is_some_and(|x| x == "private") {
                self.add_private(&e);
            }
        }
    }

    /// Panics naming the command if its output holds a secret.
    fn assert_absent(&self, what: &str, out: &[u8]) {
        let text = String::from_utf8_lossy(out);
        for s in &self.texts {
            assert!(
                !text.contains(s.as_str()),
                "{what}: output holds secret text {s:?}:\n{text}"
            );
        }
        for r in &self.raw {
            assert!(
                !out.windows(r.len()).any(|w| w == r.as_slice()),
                "{what}: output holds raw secret bytes"
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() && !p.is_symlink() {
                v.extend(walk(&p));
            } else {
                v.push(p);
            }
        }
    }
    v
}

/// Runs zonesign in `cwd`; returns the exit code and stdout + stderr.
fn run(cwd: &Path, args: &[&str]) -> (i32, Vec<u8>) {
    let o = Command::new(bin())
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run zonesign");
    let mut all = o.stdout;
    all.extend_from_slice(&o.stderr);
    (o.status.code().unwrap_or(-1), all)
}

const ZONE: &str = "$ORIGIN example.\n$TTL 3600\n@ IN SOA ns hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns\nns IN A 192.0.2.1\nwww IN A 192.0.2.2\n";

/// Base names of the keys `keygen` made in `dir`, KSK first.
fn keygen(dir: &Path, alg: &str, ksk: bool) -> String {
    let mut args = vec!["keygen", "-a", alg, "-K", "."];
    if alg == "8" || alg == "10" {
        args.extend(["-b", "1024"]);
    }
    if ksk {
        args.push("--ksk");
    }
    args.push("example.");
    let o = Command::new(bin())
        .current_dir(dir)
        .args(&args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "keygen: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// Versions of a `.private` file a hand or a tool may have garbled: header
/// gone, values at the start of lines, everything on one line, truncated.
fn garbled(private: &str) -> Vec<(&'static str, String)> {
    let no_header: String = private.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let values_only: String = private
        .lines()
        .filter_map(|l| l.split_once(':').map(|(_, v)| format!("{}\n", v.trim())))
        .collect();
    let indented: String = values_only.lines().map(|l| format!("  IN {l}\n")).collect();
    let one_line: String = private.lines().collect::<Vec<_>>().join(" ");
    let bad_alg = private.replacen("Algorithm:", "Algorithm: x", 1);
    vec![
        ("no-header", no_header),
        ("values-only", values_only),
        ("indented", indented),
        ("one-line", one_line),
        ("bad-alg", bad_alg),
        ("half", private[..private.len() / 2].to_string()),
    ]
}

#[test]
fn no_command_prints_private_key_material() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("zone.db"), ZONE).unwrap();
    let mut secrets = Secrets::default();
    let runs: std::cell::RefCell<Vec<(String, i32, Vec<u8>)>> = Default::default();
    let go = |cwd: &Path, args: &[&str]| {
        let (code, out) = run(cwd, args);
        runs.borrow_mut().push((args.join(" "), code, out));
        code
    };
    for alg in ALGS {
        let ksk = keygen(d, alg, true);
        let zsk = keygen(d, alg, false);
        secrets.add_private(&d.join(format!("{ksk}.private")));
        secrets.add_private(&d.join(format!("{zsk}.private")));
        let kp = format!("{ksk}.private");
        let signed = format!("signed-{alg}.db");
        let dsset = format!("dsset-{alg}");
        for report in ["text", "json"] {
            go(
                d,
                &[
                    "sign",
                    "zone.db",
                    "-k",
                    &ksk,
                    "-z",
                    &zsk,
                    "-f",
                    &signed,
                    "--ds-out",
                    &dsset,
                    "--now",
                    NOW,
                    "--inception",
                    "20260501000000",
                    "--expiration",
                    "20260801000000",
                    "--report",
                    report,
                ],
            );
            go(d, &["verify", &signed, "--now", NOW, "--format", report]);
            go(
                d,
                &[
                    "verify", &signed, "--now", NOW, "--ds", &dsset, "--format", report,
                ],
            );
            go(
                d,
                &[
                    "verify",
                    &signed,
                    "--now",
                    NOW,
                    "--trust-anchor",
                    &format!("{ksk}.key"),
                    "--format",
                    report,
                ],
            );
            go(d, &["check", "zone.db", "--format", report]);
            go(d, &["key", "show", &ksk, "--format", report]);
            go(d, &["key", "show", &kp, "--format", report]);
            // Item 1: a key file where a zone-format file is read.
            for pv in [kp.as_str(), &format!("{zsk}.private")] {
                assert_eq!(
                    go(
                        d,
                        &["check", pv, "--origin", "example.", "--format", report]
                    ),
                    2,
                    "check {pv}"
                );
                assert_eq!(
                    go(
                        d,
                        &["verify", &signed, "--now", NOW, "--ds", pv, "--format", report]
                    ),
                    2
                );
                assert_eq!(
                    go(
                        d,
                        &[
                            "verify",
                            &signed,
                            "--now",
                            NOW,
                            "--trust-anchor",
                            pv,
                            "--format",
                            report
                        ]
                    ),
                    2
                );
                assert_eq!(
                    go(
                        d,
                        &["verify", pv, "--origin", "example.", "--now", NOW, "--format", report]
                    ),
                    2
                );
                go(
                    d,
                    &[
                        "sign", pv, "--origin", "example.", "-k", &ksk, "-z", &zsk, "-f",
                        "never.db", "--report", report,
                    ],
                );
            }
        }
        go(d, &["ds", &ksk]);
        go(d, &["ds", &kp, "-d", "sha384"]);
        let inc = format!("include-{alg}.db");
        std::fs::write(d.join(&inc), format!("{ZONE}$INCLUDE {kp}\n")).unwrap();
        assert_eq!(go(d, &["check", &inc]), 2);
        go(d, &["sign", &inc, "-k", &ksk, "-z", &zsk, "-f", "never.db"]);
        // Garbled private files, as zones, DS sets, trust anchors and keys.
        let private = std::fs::read_to_string(d.join(&kp)).unwrap();
        for (how, text) in garbled(&private) {
            let g = format!("Kexample.+{alg:0>3}+{}.private", 60000 + how.len());
            std::fs::write(d.join(&g), &text).unwrap();
            let gbase = g.trim_end_matches(".private").to_string();
            std::fs::copy(d.join(format!("{ksk}.key")), d.join(format!("{gbase}.key"))).unwrap();
            // Also under a name that says nothing.
            std::fs::write(d.join("plain.txt"), &text).unwrap();
            for f in [g.as_str(), "plain.txt"] {
                go(d, &["check", f, "--origin", "example."]);
                go(d, &["check", f, "--origin", "example.", "--format", "json"]);
                go(d, &["verify", &signed, "--now", NOW, "--ds", f]);
                go(
                    d,
                    &[
                        "verify",
                        &signed,
                        "--now",
                        NOW,
                        "--trust-anchor",
                        f,
                        "--format",
                        "json",
                    ],
                );
            }
            go(d, &["key", "show", &gbase]);
            go(d, &["key", "show", &gbase, "--format", "json"]);
            go(
                d,
                &[
                    "sign", "zone.db", "-k", &gbase, "-z", &zsk, "-f", "never.db",
                ],
            );
            std::fs::remove_file(d.join(&g)).unwrap();
            std::fs::remove_file(d.join(format!("{gbase}.key"))).unwrap();
        }
    }
    // The lifecycle, for each algorithm, in a state directory of its own.
    for alg in ALGS {
        let sd = d.join(format!("state-{alg}"));
        let sds = sd.display().to_string();
        let c = |sub: &str, now: &str, fmt: &str| -> Vec<String> {
            [
                "dnssec",
                sub,
                "example.",
                "--state-dir",
                &sds,
                "--now",
                now,
                "--format",
                fmt,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        let life = |args: Vec<String>| {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            go(d, &a)
        };
        let mut enable = c("enable", "20260101000000", "json");
        enable.extend(["--alg".to_string(), alg.to_string()]);
        if alg == "8" || alg == "10" {
            enable.extend(["--bits".to_string(), "1024".to_string()]);
        }
        assert_eq!(life(enable), 0);
        secrets.add_dir(&sd);
        for fmt in ["json", "text"] {
            life(c("status", "20260102000000", fmt));
            life(
                c("sync", "20260102000000", fmt)
                    .into_iter()
                    .chain(["--dry-run".to_string()])
                    .collect(),
            );
        }
        let pv = walk(&sd)
            .into_iter()
            .find(|p| p.extension().is_some_and(|x| x == "private"))
            .unwrap();
        let pvs = pv.display().to_string();
        life(
            c("confirm-ds-published", "20260102000000", "json")
                .into_iter()
                .chain(["--ds".to_string(), pvs.clone()])
                .collect(),
        );
        life(
            c("confirm-ds-published", "20260102000000", "text")
                .into_iter()
                .chain([
                    "--ds-record".to_string(),
                    std::fs::read_to_string(&pv).unwrap(),
                ])
                .collect(),
        );
        life(c("rotate-zsk", "20260201000000", "json"));
        life(c("status", "20260301000000", "text"));
        life(c("rotate-ksk", "20260401000000", "text"));
        life(c("sync", "20260401000000", "json"));
        go(
            d,
            &[
                "sign",
                "zone.db",
                "--state-dir",
                &sds,
                "--now",
                "20260401000000",
                "-f",
                "never.db",
                "--report",
                "json",
            ],
        );
        secrets.add_dir(&sd);
        // state.yaml linked to a private key: refused, nothing quoted.
        let state = sd.join("state.yaml");
        std::fs::rename(&state, sd.join("state.yaml.real")).unwrap();
        std::os::unix::fs::symlink(&pv, &state).unwrap();
        for sub in ["status", "rotate-zsk", "sync", "disable"] {
            for fmt in ["json", "text"] {
                let code = life(c(sub, "20260501000000", fmt));
                assert_eq!(code, 2, "{sub} with state.yaml linked to a key");
            }
        }
        // A state.yaml that is a copy of a private key.
        std::fs::remove_file(&state).unwrap();
        std::fs::copy(&pv, &state).unwrap();
        for sub in ["status", "sync"] {
            assert_eq!(life(c(sub, "20260501000000", "json")), 2);
        }
        go(
            d,
            &["sign", "zone.db", "--state-dir", &sds, "-f", "never.db"],
        );
        std::fs::remove_file(&state).unwrap();
        std::fs::rename(sd.join("state.yaml.real"), &state).unwrap();
        life(c("disable", "20260601000000", "json"));
    }
    let runs = runs.into_inner();
    assert!(runs.len() > 300, "ran {} commands", runs.len());
    assert!(!secrets.texts.is_empty());
    for (what, _, out) in &runs {
        secrets.assert_absent(what, out);
    }
}
