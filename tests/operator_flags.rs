//! The flags operators bring from `dnssec-signzone` and `ldns-signzone`
//! (#16): `-o` is the origin and `-f` the output, as there; `-e`, `-N`,
//! `-j`, `-D`, `-v`; and the `dnssec-only` output (`dnssec-signzone -D`),
//! which served beside its zone file must pass every verifier.

mod common;
use common::*;
use std::path::Path;

const KSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+11164";
const ZSK: &str = "testdata/keys/bind.alg15/Kexample.com.+015+64333";

/// `small.zone` without its one TTL above the week cap, so that its
/// signed records can be served beside it unchanged.
fn uncapped_zone(dir: &Path) -> std::path::PathBuf {
    let zone = std::fs::read_to_string(project_root().join("testdata/small.zone")).unwrap();
    let zone = zone.replace("www     2w  AAAA", "www         AAAA");
    write(dir, "zone.db", &zone)
}

fn sign(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut v: Vec<String> = vec![
        "sign".into(),
        "-k".into(),
        project_root().join(KSK).display().to_string(),
        "-z".into(),
        project_root().join(ZSK).display().to_string(),
        "--quiet".into(),
    ];
    v.extend(SIGN_WINDOW.iter().map(|s| s.to_string()));
    v.extend(args.iter().map(|s| s.to_string()));
    std::process::Command::new(bin())
        .args(&v)
        .current_dir(dir)
        .output()
        .expect("run zonesign")
}

#[test]
fn dash_o_is_the_origin_and_dash_f_the_output_as_in_dnssec_signzone() {
    let dir = tempfile::tempdir().unwrap();
    // A zone file whose names are relative, with no $ORIGIN: only -o
    // says which zone it is (as `dnssec-signzone -o example.com zone.db`).
    let zone = std::fs::read_to_string(project_root().join("testdata/small.zone")).unwrap();
    let zone = zone.replace("$ORIGIN example.com.\n", "");
    let input = write(dir.path(), "example.com", &zone);
    let o = sign(
        dir.path(),
        &["-o", "example.com", "-f", "out.signed", "example.com"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), zone, "input kept");
    let signed = std::fs::read_to_string(dir.path().join("out.signed")).unwrap();
    assert!(
        signed.starts_with("example.com.\t3600\tIN\tSOA\t"),
        "{}",
        &signed[..80]
    );
    // The old habit of zonesign's own -o (a path) is named, not signed
    // as a zone of that name, and nothing is written.
    let o = sign(dir.path(), &["-o", "out/new.signed", "example.com"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("looks like a file path") && err.contains("-f/--output"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
    assert!(!dir.path().join("example.com.signed").exists());
}

#[test]
fn the_short_flags_of_the_peers_mean_what_they_mean_there() {
    let dir = tempfile::tempdir().unwrap();
    let zone = uncapped_zone(dir.path());
    // -e END (the expiration), -N (serial), -j (jitter): the policy shows
    // each as given by a flag.
    let o = zonesign([
        "policy",
        "show",
        zone.to_str().unwrap(),
        "-N",
        "date",
        "-j",
        "2d",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["policy"].as_array().expect("rows");
    let row = |k: &str| {
        rows.iter()
            .find(|r| r["setting"] == k)
            .unwrap_or_else(|| panic!("no {k} in {v}"))
            .clone()
    };
    assert_eq!(row("serial")["value"], "date");
    assert_eq!(row("jitter")["value"], "2d");
    assert_eq!(row("serial")["source"], "flag --serial");
    assert_eq!(row("jitter")["source"], "flag --jitter");
    let o = sign(
        dir.path(),
        &[
            "zone.db",
            "-f",
            "e.signed",
            "--validity",
            "10d",
            "-e",
            "20361231000000",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "-e conflicts with --validity");
    let o = std::process::Command::new(bin())
        .args([
            "sign",
            "zone.db",
            "-k",
            &project_root().join(KSK).display().to_string(),
            "-z",
            &project_root().join(ZSK).display().to_string(),
            "--inception",
            "20260101000000",
            "-e",
            "20361231000000",
            "-j",
            "0",
            "-f",
            "e.signed",
            "--quiet",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let signed = std::fs::read_to_string(dir.path().join("e.signed")).unwrap();
    let rrsigs: Vec<&str> = signed.lines().filter(|l| l.contains("\tRRSIG\t")).collect();
    assert!(!rrsigs.is_empty());
    for l in rrsigs {
        assert!(l.contains(" 20361231000000 20260101000000 "), "{l}");
    }
}

#[test]
fn dash_v_prints_the_phase_timings_on_stderr_even_when_quiet() {
    let dir = tempfile::tempdir().unwrap();
    uncapped_zone(dir.path());
    let o = sign(dir.path(), &["zone.db", "-v"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.lines().any(|l| l.starts_with("zonesign: time: parse ")
            && l.contains(" ms, sign ")
            && l.ends_with(" ms")),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "--quiet: no report");
    let o = sign(dir.path(), &["zone.db"]);
    assert!(!text(&o.stderr).contains("time:"), "no timings without -v");
}

#[test]
fn dnssec_only_output_holds_the_signers_records_and_verifies_beside_its_zone() {
    let dir = tempfile::tempdir().unwrap();
    let zone = uncapped_zone(dir.path());
    for (name, extra) in [("nsec", &[][..]), ("nsec3", &["--nsec3", "--opt-out"][..])] {
        let out = format!("{name}.dnssec");
        let ds = format!("{name}.ds");
        let mut args = vec!["zone.db", "-D", "-f", &out, "--ds-out", &ds];
        args.extend_from_slice(extra);
        let o = sign(dir.path(), &args);
        assert!(o.status.success(), "{name}: {}", text(&o.stderr));
        let part = std::fs::read_to_string(dir.path().join(&out)).unwrap();
        let mut types: Vec<&str> = part
            .lines()
            .map(|l| l.split('\t').nth(3).expect("a record line"))
            .collect();
        types.sort();
        types.dedup();
        let want: &[&str] = if name == "nsec" {
            &["DNSKEY", "NSEC", "RRSIG"]
        } else {
            &["DNSKEY", "NSEC3", "NSEC3PARAM", "RRSIG"]
        };
        assert_eq!(types, want, "{name}: only the signer's records");
        // The same records as the full output's (Ed25519 is
        // deterministic), less the zone file's.
        let mut full_args = vec!["zone.db", "-f", "full.signed", "--output-format", "full"];
        full_args.extend_from_slice(extra);
        let o = sign(dir.path(), &full_args);
        assert!(o.status.success());
        let full = std::fs::read_to_string(dir.path().join("full.signed")).unwrap();
        let full: std::collections::HashSet<&str> = full.lines().collect();
        for l in part.lines() {
            assert!(full.contains(l), "{name}: not in the full output: {l}");
        }
        // Served as the operator would: the zone file, then the part.
        let served = format!("{}{}", std::fs::read_to_string(&zone).unwrap(), part);
        let served = write(dir.path(), &format!("{name}.served"), &served);
        peers_accept(&served, &dir.path().join(&ds), "example.com", true);
    }
    // `--output-format dnssec-only` is -D.
    let o = sign(
        dir.path(),
        &[
            "zone.db",
            "--output-format",
            "dnssec-only",
            "-f",
            "long.dnssec",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(dir.path().join("long.dnssec")).unwrap(),
        std::fs::read(dir.path().join("nsec.dnssec")).unwrap()
    );
}

#[test]
fn dnssec_only_refuses_what_would_not_match_the_zone_file_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    uncapped_zone(dir.path());
    let capped = project_root().join("testdata/small.zone");
    let capped = capped.to_str().unwrap();
    for (args, why) in [
        (
            vec!["zone.db", "-D", "-N", "increment"],
            "--serial increment",
        ),
        (vec!["zone.db", "-D", "--zonemd", "sha384"], "--zonemd"),
        (vec!["zone.db", "-D", "--previous", "zone.db"], "--previous"),
        (vec![capped, "-D"], "TTLs above the cap"),
    ] {
        let mut a = args.clone();
        a.extend(["-f", "never.dnssec", "--ds-out", "never.ds"]);
        let o = sign(dir.path(), &a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains(why),
            "{args:?}: {}",
            text(&o.stderr)
        );
        assert!(!dir.path().join("never.dnssec").exists(), "{args:?}");
        assert!(!dir.path().join("never.ds").exists(), "{args:?}");
    }
}

/// Findings are coloured only on a terminal without NO_COLOR, or when
/// `--color always` asks; piped output stays plain.
#[test]
fn findings_are_coloured_only_on_a_terminal_or_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    uncapped_zone(dir.path());
    let o = sign(
        dir.path(),
        &["zone.db", "-f", "z.signed", "--ds-out", "z.ds"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Past the window: every signature has expired, so there are errors.
    let verify = |extra: &[&str]| {
        let mut a = vec![
            "verify",
            "z.signed",
            "--ds",
            "z.ds",
            "--now",
            "20400101000000",
        ];
        a.extend_from_slice(extra);
        let o = std::process::Command::new(bin())
            .args(&a)
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    let red = "\x1b[31m";
    assert!(!verify(&[]).contains('\x1b'), "piped: plain");
    assert!(!verify(&["--color", "never"]).contains('\x1b'));
    let always = verify(&["--color", "always"]);
    assert!(
        always
            .lines()
            .any(|l| l.starts_with(red) && l.contains("rrsig-expired")),
        "{always}"
    );
    // On a terminal (script(1) gives the command a pty): colour, unless
    // NO_COLOR is set.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok()
    {
        let on_tty = |no_color: Option<&str>| {
            let cmd = format!("{} verify z.signed --ds z.ds --now 20400101000000", bin());
            let mut c = std::process::Command::new("script");
            c.args(["-qec", &cmd, "/dev/null"]).current_dir(dir.path());
            match no_color {
                Some(v) => c.env("NO_COLOR", v),
                None => c.env_remove("NO_COLOR"),
            };
            text(&c.output().unwrap().stdout)
        };
        assert!(on_tty(None).contains(red), "a terminal gets colour");
        // (The progress bar may draw on the terminal: look for the red.)
        assert!(!on_tty(Some("1")).contains(red), "NO_COLOR=1: none");
    }
}
