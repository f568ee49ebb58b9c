//! Interop with the peer tools: BIND (`dnssec-keygen`, `dnssec-dsfromkey`,
//! `dnssec-signzone`, `dnssec-verify`; Debian package bind9-utils) and ldns
//! (`ldns-keygen`, `ldns-key2ds`, `ldns-signzone`, `ldns-verify-zone`;
//! Debian package ldnsutils). A missing peer is a failure naming the
//! package, never a skip.
//!
//! * keys we generate: DS text byte-identical to dnssec-dsfromkey (SHA-256
//!   and SHA-384); same DS as ldns-key2ds (whose layout differs: TTL, tabs,
//!   lower-case hex, so fields are compared after normalising whitespace and
//!   case); dnssec-signzone and ldns-signzone sign a zone with our files and
//!   dnssec-verify / ldns-verify-zone pass.
//! * keys the peers generate (made here in a temp dir) and the ones in
//!   testdata/keys/ load, key tags match their file names, our DS matches
//!   theirs, and a signature made with the loaded key verifies.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zonesign::ds::{DigestType, Ds};
use zonesign::keys::{load_key_pair, load_key_pair_with_warnings, verify_signature, Algorithm};

const ZONESIGN: &str = env!("CARGO_BIN_EXE_zonesign");

fn package_of(tool: &str) -> &'static str {
    if tool.starts_with("ldns-") {
        "ldnsutils"
    } else {
        "bind9-utils"
    }
}

/// Runs a peer tool; panics (fails the test) if it is not installed.
fn peer(tool: &str, args: &[&str], dir: &Path) -> Output {
    match Command::new(tool).args(args).current_dir(dir).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "peer tool {tool} is not installed: install the Debian package {} (apt-get install {})",
            package_of(tool),
            package_of(tool)
        ),
        Err(e) => panic!("cannot run {tool}: {e}"),
    }
}

fn peer_ok(tool: &str, args: &[&str], dir: &Path) -> String {
    let o = peer(tool, args, dir);
    assert!(
        o.status.success(),
        "{tool} {args:?} failed ({}):\n{}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn zonesign_ok(args: &[&str], dir: &Path) -> String {
    let o = Command::new(ZONESIGN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "zonesign {args:?} failed ({}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn keygen(dir: &Path, alg: Algorithm, ksk: bool) -> String {
    let n = alg.number().to_string();
    let mut args = vec!["keygen", "example.com", "--alg", &n];
    if ksk {
        args.push("--ksk");
    }
    let out = zonesign_ok(&args, dir);
    let base = out.trim().to_string();
    assert!(
        base.starts_with(&format!("Kexample.com.+{:03}+", alg.number())),
        "{base}"
    );
    base
}

/// Fields of a DS line, whitespace-normalised and upper-cased, TTL dropped:
/// `example.com. IN DS 1 13 2 ABCD`.
fn ds_fields(line: &str) -> Vec<String> {
    let mut toks: Vec<String> = line
        .split_whitespace()
        .map(|t| t.to_ascii_uppercase())
        .collect();
    if toks.len() > 1 && toks[1].chars().all(|c| c.is_ascii_digit()) {
        toks.remove(1); // the TTL ldns prints
    }
    assert!(toks.len() >= 7, "not a DS line: {line:?}");
    let digest: String = toks[6..].concat(); // re-join a split digest
    toks.truncate(6);
    toks.push(digest);
    toks
}

const ZONE: &str = "$TTL 3600
example.com. IN SOA ns1.example.com. hostmaster.example.com. 2026010101 7200 3600 1209600 3600
example.com. IN NS ns1.example.com.
example.com. IN MX 10 mail.example.com.
ns1.example.com. IN A 192.0.2.1
mail.example.com. IN A 192.0.2.2
www.example.com. IN AAAA 2001:db8::1
";

#[test]
fn our_keys_give_the_same_ds_as_bind_and_ldns() {
    for alg in Algorithm::ALL {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let base = keygen(dir, alg, true);
        let key = format!("{base}.key");
        // dnssec-dsfromkey: byte-identical text.
        let ours = zonesign_ok(
            &["ds", &key, "--digest", "sha256", "--digest", "sha384"],
            dir,
        );
        let bind = peer_ok(
            "dnssec-dsfromkey",
            &["-a", "SHA-256", "-a", "SHA-384", &key],
            dir,
        );
        assert_eq!(ours, bind, "{alg}: zonesign ds vs dnssec-dsfromkey");
        // Given as base name or .private path: same output.
        assert_eq!(
            zonesign_ok(
                &[
                    "ds",
                    &format!("{base}.private"),
                    "-d",
                    "sha256",
                    "-d",
                    "sha384"
                ],
                dir
            ),
            bind
        );
        assert_eq!(
            zonesign_ok(&["ds", &base], dir),
            peer_ok("dnssec-dsfromkey", &["-a", "SHA-256", &key], dir)
        );
        // ldns-key2ds: same fields (its layout has a TTL, tabs, lower-case hex).
        let lines: Vec<&str> = ours.lines().collect();
        for (flag, our_line) in [("-2", lines[0]), ("-4", lines[1])] {
            let ldns = peer_ok("ldns-key2ds", &["-n", "-f", flag, &key], dir);
            assert_eq!(
                ds_fields(ldns.trim()),
                ds_fields(our_line),
                "{alg} {flag}: ldns-key2ds {ldns:?} vs ours {our_line:?}"
            );
        }
    }
}

#[test]
fn bind_and_ldns_sign_and_verify_with_our_key_files() {
    for alg in Algorithm::ALL {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("zone.db"), ZONE).unwrap();
        let ksk = keygen(dir, alg, true);
        let zsk = keygen(dir, alg, false);
        peer_ok(
            "dnssec-signzone",
            &[
                "-S",
                "-K",
                ".",
                "-o",
                "example.com",
                "-f",
                "bind.db",
                "zone.db",
            ],
            dir,
        );
        let v = peer("dnssec-verify", &["-o", "example.com", "bind.db"], dir);
        let report =
            String::from_utf8_lossy(&v.stderr).into_owned() + &String::from_utf8_lossy(&v.stdout);
        assert!(v.status.success(), "{alg}: dnssec-verify failed:\n{report}");
        assert!(report.contains("KSKs: 1 active"), "{alg}: {report}");
        let signed = std::fs::read_to_string(dir.join("bind.db")).unwrap();
        let ksk_tag = ksk.rsplit('+').next().unwrap().trim_start_matches('0');
        assert!(
            signed.contains(&format!(" {ksk_tag} example.com.")),
            "{alg}: no RRSIG by KSK {ksk_tag}"
        );

        peer_ok(
            "ldns-signzone",
            &["-f", "ldns.db", "-o", "example.com.", "zone.db", &zsk, &ksk],
            dir,
        );
        peer_ok("ldns-verify-zone", &["ldns.db"], dir);
    }
}

/// Loads a peer key, checks tag vs file name and DS vs dnssec-dsfromkey,
/// and that a signature by the loaded key verifies.
fn check_peer_key(dir: &Path, base: &str) {
    let path = dir.join(base);
    let key = load_key_pair(&path).unwrap_or_else(|e| panic!("{base}: {e}"));
    let tag_in_name: u16 = base.rsplit('+').next().unwrap().parse().unwrap();
    assert_eq!(key.key_tag().0, tag_in_name, "{base}");
    let bind = peer_ok(
        "dnssec-dsfromkey",
        &["-a", "SHA-256", "-a", "SHA-384", &format!("{base}.key")],
        dir,
    );
    let rdata = key.dnskey().to_rdata();
    let ours: String = [DigestType::Sha256, DigestType::Sha384]
        .iter()
        .map(|d| Ds::from_dnskey(key.owner(), &rdata, *d).to_text(key.owner()) + "\n")
        .collect();
    assert_eq!(ours, bind, "{base}");
    let sig = key.sign(b"interop").unwrap();
    assert!(verify_signature(
        key.algorithm().number(),
        &key.dnskey().public_key,
        b"interop",
        &sig
    )
    .unwrap());
}

/// The algorithms the peers' key generators make for us to load, with
/// the size flags both take (-b).
const PEER_KEYGEN_ALGS: [(&str, &[&str]); 5] = [
    ("RSASHA256", &["-b", "2048"]),
    ("RSASHA512", &["-b", "1024"]),
    ("ECDSAP256SHA256", &[]),
    ("ECDSAP384SHA384", &[]),
    ("ED25519", &[]),
];

#[test]
fn keys_made_by_dnssec_keygen_load() {
    for (alg, extra) in PEER_KEYGEN_ALGS {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for ksk in [true, false] {
            let mut args = vec!["-q", "-a", alg];
            args.extend(extra.iter().copied());
            if ksk {
                args.extend(["-f", "KSK"]);
            }
            args.push("example.com");
            let base = peer_ok("dnssec-keygen", &args, dir).trim().to_string();
            check_peer_key(dir, &base);
            assert_eq!(load_key_pair(&dir.join(&base)).unwrap().is_ksk(), ksk);
            // Timing comes from the .private file.
            assert!(load_key_pair(&dir.join(&base))
                .unwrap()
                .timing()
                .created
                .is_some());
        }
    }
}

#[test]
fn keys_made_by_ldns_keygen_load() {
    for (alg, extra) in PEER_KEYGEN_ALGS {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for ksk in [true, false] {
            let mut args = vec!["-a", alg];
            args.extend(extra.iter().copied());
            if ksk {
                args.push("-k");
            }
            args.push("example.com.");
            let base = peer_ok("ldns-keygen", &args, dir).trim().to_string();
            check_peer_key(dir, &base);
            assert_eq!(load_key_pair(&dir.join(&base)).unwrap().is_ksk(), ksk);
        }
    }
}

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/keys")
}

/// Every key in testdata/keys/*: loads (BIND v1.3, ldns v1.2, Knot PEM),
/// tag = file name, and the KSK's DS lines = dsset-example.com.
#[test]
fn testdata_keys_load_and_match_their_dssets() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(testdata())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 15, "{dirs:?}");
    for dir in dirs {
        let dsset = std::fs::read_to_string(dir.join("dsset-example.com.")).unwrap();
        let mut bases: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let n = e.unwrap().file_name().to_string_lossy().into_owned();
                n.strip_suffix(".key").map(str::to_string)
            })
            .collect();
        bases.sort();
        assert_eq!(bases.len(), 2, "{dir:?}");
        let mut ksks = 0;
        for base in bases {
            let (key, _warnings) = load_key_pair_with_warnings(&dir.join(&base))
                .unwrap_or_else(|e| panic!("{}/{base}: {e}", dir.display()));
            let tag_in_name: u16 = base.rsplit('+').next().unwrap().parse().unwrap();
            assert_eq!(key.key_tag().0, tag_in_name, "{base}");
            if key.bits() >= 2048 || !key.algorithm().is_rsa() {
                let ring_rsa = key.algorithm().is_rsa()
                    && key.bits() <= 4096
                    && !zonesign::keys::crypto::rsa_prefers_aws_lc();
                let want = if key.algorithm() == Algorithm::EcdsaP256Sha256 || ring_rsa {
                    "ring"
                } else {
                    "aws-lc-rs"
                };
                assert_eq!(key.backend(), want, "{base}: signed by the fastest backend");
            }
            let sig = key.sign(b"testdata").unwrap();
            assert!(verify_signature(
                key.algorithm().number(),
                &key.dnskey().public_key,
                b"testdata",
                &sig
            )
            .unwrap());
            if key.is_ksk() {
                ksks += 1;
                let rdata = key.dnskey().to_rdata();
                let ours: String = [DigestType::Sha256, DigestType::Sha384]
                    .iter()
                    .map(|d| Ds::from_dnskey(key.owner(), &rdata, *d).to_text(key.owner()) + "\n")
                    .collect();
                assert_eq!(ours, dsset, "{}", dir.display());
                // The CLI prints the same.
                let cli = zonesign_ok(
                    &["ds", &format!("{base}.key"), "-d", "sha256", "-d", "sha384"],
                    &dir,
                );
                assert_eq!(cli, dsset, "{}", dir.display());
            }
        }
        assert_eq!(ksks, 1, "{dir:?}");
    }
}
