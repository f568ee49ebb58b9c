//! Issue #14: the signing policy file (`zonesign.yaml` beside the zone
//! file, or `--policy FILE`). Flags win over the file, the file over the
//! defaults; `policy show` says where each value came from; a bad file is
//! refused at its line and column with exit 2 and nothing written; with a
//! lifecycle state directory, the state owns the DNSKEY TTL and the
//! algorithm (exit 3 when a policy says otherwise).

mod common;
use common::*;
use std::path::{Path, PathBuf};

const ZONE: &str = "$ORIGIN example.com.
$TTL 3600
@ IN SOA ns1 hostmaster 2026120101 7200 3600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
www IN A 192.0.2.80
sub IN NS ns.sub
ns.sub IN A 192.0.2.53
";

const NOW: &str = "20261203000000";

struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        let d = Dir {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        d.file("example.com.zone", ZONE);
        d
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        write(self.dir.path(), name, content)
    }

    fn zone(&self) -> PathBuf {
        self.path("example.com.zone")
    }

    /// `zonesign sign` of the zone with generated keys, at NOW, JSON report.
    fn sign(&self, extra: &[&str]) -> std::process::Output {
        self.sign_at(NOW, extra)
    }

    fn sign_at(&self, now: &str, extra: &[&str]) -> std::process::Output {
        let z = self.zone();
        let keys = self.path("keys");
        let mut args: Vec<&str> = vec![
            "sign",
            z.to_str().expect("utf-8"),
            "--keys",
            keys.to_str().expect("utf-8"),
            "--generate-keys",
            "--now",
            now,
            "--report",
            "json",
        ];
        args.extend_from_slice(extra);
        zonesign(&args)
    }

    fn show(&self, extra: &[&str]) -> serde_json::Value {
        let z = self.zone();
        let mut args = vec![
            "policy",
            "show",
            z.to_str().expect("utf-8"),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let o = zonesign(&args);
        assert!(o.status.success(), "policy show: {}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).expect("JSON")
    }
}

/// The `(value, source)` of `setting` in `policy show`'s JSON.
fn setting(show: &serde_json::Value, name: &str) -> (String, String) {
    let s = show["policy"]
        .as_array()
        .expect("policy list")
        .iter()
        .find(|s| s["setting"] == name)
        .unwrap_or_else(|| panic!("no setting {name}"));
    (
        s["value"].as_str().expect("value").to_string(),
        s["source"].as_str().expect("source").to_string(),
    )
}

/// The validity (expiration - inception) of the first RRSIG in `signed`.
fn rrsig_validity(signed: &Path) -> i64 {
    let (inception, expiration) = rrsig_times(signed);
    expiration - inception
}

/// The inception and expiration of the first RRSIG in `signed`.
fn rrsig_times(signed: &Path) -> (i64, i64) {
    let text = std::fs::read_to_string(signed).expect("signed zone");
    let line = text
        .lines()
        .find(|l| l.contains("\tRRSIG\t") || l.contains(" RRSIG "))
        .expect("an RRSIG");
    let f: Vec<&str> = line.split_whitespace().collect();
    let i = f.iter().position(|w| *w == "RRSIG").expect("type");
    let t =
        |s: &str| zonesign::timespec::parse_time(s, 0).unwrap_or_else(|e| panic!("time {s}: {e}"));
    (t(f[i + 6]), t(f[i + 5]))
}

#[test]
fn policy_show_tells_where_each_value_came_from() {
    let d = Dir::new();
    d.file(
        "zonesign.yaml",
        "# example.com's policy\nvalidity: 14d\nserial: date\ndenial: nsec3\n",
    );
    let show = d.show(&["--serial", "increment"]);
    let file = d.path("zonesign.yaml");
    let at = |line: usize, col: usize| format!("{}:{line}:{col}", file.display());
    assert_eq!(setting(&show, "validity"), ("14d".into(), at(2, 11)));
    assert_eq!(
        setting(&show, "serial"),
        ("increment".into(), "flag --serial".into()),
        "a flag wins over the file"
    );
    assert_eq!(setting(&show, "denial"), ("nsec3".into(), at(4, 9)));
    assert_eq!(setting(&show, "refresh").1, "default");
    assert_eq!(
        setting(&show, "verify"),
        ("structure".into(), "default".into())
    );
    // Every setting is listed, once.
    assert_eq!(show["policy"].as_array().map(Vec::len), Some(18));

    // The text form has the same rows.
    let z = d.zone();
    let o = zonesign(["policy", "show", z.to_str().expect("utf-8")]);
    assert!(o.status.success());
    let out = text(&o.stdout);
    assert!(
        out.lines()
            .any(|l| l.starts_with("validity") && l.contains(&at(2, 11)) && l.ends_with("14d")),
        "{out}"
    );
}

#[test]
fn sign_follows_the_policy_file_and_flags_override_it() {
    let d = Dir::new();
    d.file(
        "zonesign.yaml",
        "validity: 14d\njitter: 0\ninception-offset: 2h\ndenial: nsec3\nnsec3-opt-out: true\ndigests: [sha256, sha384]\n",
    );
    let o = d.sign(&[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let signed = d.path("example.com.zone.signed");
    assert_eq!(
        rrsig_validity(&signed),
        14 * 86_400,
        "validity from the file"
    );
    let out = std::fs::read_to_string(&signed).expect("signed");
    assert!(out.contains("NSEC3PARAM"), "NSEC3 from the file");
    let ds = std::fs::read_to_string(d.path("dsset-example.com.")).expect("dsset");
    assert_eq!(ds.lines().filter(|l| l.contains(" DS ")).count(), 2, "{ds}");
    let now = zonesign::timespec::parse_time(NOW, 0).expect("NOW");
    assert_eq!(
        rrsig_times(&signed).0,
        now - 2 * 3600,
        "inception-offset from the file"
    );

    // Flags win: --nsec and --validity.
    let o = d.sign(&["--nsec", "--validity", "10d"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(rrsig_validity(&signed), 10 * 86_400);
    let out = std::fs::read_to_string(&signed).expect("signed");
    assert!(!out.contains("NSEC3"), "--nsec overrides denial: nsec3");
    peers_accept(&signed, &d.path("dsset-example.com."), "example.com", true);
}

#[test]
fn an_explicit_policy_file_replaces_the_one_beside_the_zone() {
    let d = Dir::new();
    d.file("zonesign.yaml", "validity: 14d\n");
    let other = d.file("other.yaml", "validity: 9d\njitter: 0\n");
    let o = d.sign(&["--policy", other.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        rrsig_validity(&d.path("example.com.zone.signed")),
        9 * 86_400
    );

    let o = d.sign(&["--policy", d.path("missing.yaml").to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("missing.yaml: cannot read"));
}

#[test]
fn bad_policy_files_are_refused_at_their_position_and_nothing_is_written() {
    let cases = [
        (
            "validity: 14d\nvalidty: 30d\n",
            ":2:1: unknown field \"validty\"",
        ),
        ("refresh: soon\n", ":1:10: refresh: bad duration"),
        ("serial: weekly\n", ":1:9: serial: \"weekly\" is not keep"),
        ("digests: [sha256, md5]\n", ":1:10: digests: item 2"),
        ("max-ttl: [1, 2]\n", ":1:10: max-ttl: wrong type of value"),
        ("denial: nsec\nnsec3-iterations: 3\n", "nsec3-iterations"),
        ("validity: 1d\nrefresh: 2d\n", "refresh"),
        ("ksk-bits: 2048\n", "RSA keys only"),
    ];
    for (policy, want) in cases {
        let d = Dir::new();
        let file = d.file("zonesign.yaml", policy);
        let o = d.sign(&[]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{policy:?}: {err}");
        assert!(err.contains(want), "{policy:?}: want {want:?} in {err}");
        if want.starts_with(':') {
            assert!(
                err.contains(&format!("{}{want}", file.display())),
                "file:line:column first: {err}"
            );
        }
        for out in ["example.com.zone.signed", "dsset-example.com.", "keys"] {
            assert!(!d.path(out).exists(), "{policy:?}: {out} written");
        }
    }
}

#[test]
fn a_policy_file_that_is_a_secret_is_not_echoed() {
    let d = Dir::new();
    let secret = "root:$y$j9T$TOPSECRETHASHVALUE:19000:0:99999:7:::\n";
    d.file("shadow", secret);
    std::os::unix::fs::symlink(d.path("shadow"), d.path("zonesign.yaml")).expect("symlink");
    let o = d.sign(&[]);
    assert_eq!(o.status.code(), Some(2));
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(!all.contains("TOPSECRET"), "{all}");
}

#[test]
fn previous_output_in_the_policy_makes_reruns_identical() {
    let d = Dir::new();
    d.file("zonesign.yaml", "previous: output\nserial: increment\n");
    let o = d.sign(&[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let signed = d.path("example.com.zone.signed");
    let first = std::fs::read(&signed).expect("signed");
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        r["previous"],
        serde_json::Value::Null,
        "first run: nothing to keep"
    );
    let o = d.sign(&[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(r["rrsigs_new"], 0, "{r}");
    assert_eq!(
        std::fs::read(&signed).expect("signed"),
        first,
        "byte-identical"
    );
    // `--previous none` signs afresh whatever the file says.
    let o = d.sign_at("20261204000000", &["--previous", "none"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(r["rrsigs_kept"], 0, "{r}");
}

/// `zonesign dnssec enable` for example.com in `d/state`.
fn enable_state(d: &Dir) -> PathBuf {
    let sd = d.path("state");
    let o = zonesign([
        "dnssec",
        "enable",
        "example.com",
        "--state-dir",
        sd.to_str().expect("utf-8"),
        "--now",
        "20261201000000",
    ]);
    assert!(o.status.success(), "enable: {}", text(&o.stderr));
    sd
}

fn sign_from_state(d: &Dir, sd: &Path, extra: &[&str]) -> std::process::Output {
    let z = d.zone();
    let mut args = vec![
        "sign",
        z.to_str().expect("utf-8"),
        "--state-dir",
        sd.to_str().expect("utf-8"),
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    zonesign(&args)
}

#[test]
fn the_lifecycle_state_owns_the_dnskey_ttl_and_algorithm() {
    let d = Dir::new();
    let sd = enable_state(&d);
    // Unset: the state's DNSKEY TTL (3600 by default), not the SOA's.
    d.file("example.com.zone", &ZONE.replace("$TTL 3600", "$TTL 86400"));
    let o = sign_from_state(&d, &sd, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = std::fs::read_to_string(d.path("example.com.zone.signed")).expect("signed");
    let dnskey = out
        .lines()
        .find(|l| l.split_whitespace().nth(3) == Some("DNSKEY"))
        .expect("a DNSKEY");
    assert_eq!(dnskey.split_whitespace().nth(1), Some("3600"), "{dnskey}");

    // The same value may be repeated; another is a state conflict.
    d.file("zonesign.yaml", "dnskey-ttl: 3600\n");
    let o = sign_from_state(&d, &sd, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let show = d.show(&["--state-dir", sd.to_str().expect("utf-8")]);
    let (v, src) = setting(&show, "dnskey-ttl");
    assert_eq!(v, "3600");
    assert!(src.ends_with("state.yaml policy.dnskey_ttl"), "{src}");

    std::fs::remove_file(d.path("example.com.zone.signed")).expect("rm");
    for (policy, flag) in [
        ("dnskey-ttl: 7200\n", None),
        ("", Some("--dnskey-ttl=60")),
        ("algorithm: 15\n", None),
    ] {
        d.file("zonesign.yaml", policy);
        let extra: Vec<&str> = flag.into_iter().collect();
        let o = sign_from_state(&d, &sd, &extra);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{policy:?} {flag:?}: {err}");
        assert!(err.contains("contradicts the lifecycle state"), "{err}");
        assert!(!d.path("example.com.zone.signed").exists());
    }
}

#[test]
fn a_zone_ttl_beyond_the_states_max_zone_ttl_is_a_state_conflict() {
    let d = Dir::new();
    let sd = enable_state(&d);
    // Two weeks, uncapped: longer than the state's max_zone_ttl (one week).
    d.file(
        "example.com.zone",
        &ZONE.replace("www IN A", "www 1209600 IN A"),
    );
    let o = sign_from_state(&d, &sd, &["--max-ttl", "0"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("max_zone_ttl"));
    // Capped at the default week, it is within the state's wait.
    let o = sign_from_state(&d, &sd, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}
