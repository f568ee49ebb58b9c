//! Zones we sign pass the peers' verifiers: dnssec-verify (BIND),
//! ldns-verify-zone (with our DS set as trust anchor) and kzonecheck
//! (Knot), and our own `zonesign verify`, for every algorithm and denial
//! mode. A missing peer fails the
//! test, naming its Debian package.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to deny existence.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Nsec,
    Nsec3,
    Nsec3OptOut,
    Nsec3Salt,
}

impl Mode {
    fn flags(self) -> &'static [&'static str] {
        match self {
            Mode::Nsec => &[],
            Mode::Nsec3 => &["--nsec3"],
            Mode::Nsec3OptOut => &["--nsec3", "--opt-out"],
            Mode::Nsec3Salt => &["--nsec3", "--salt", "cafebabe", "--iterations", "10"],
        }
    }
}

const ALL_MODES: [Mode; 4] = [Mode::Nsec, Mode::Nsec3, Mode::Nsec3OptOut, Mode::Nsec3Salt];

/// Makes a KSK and a ZSK with our keygen.
fn keys(dir: &Path, origin: &str, alg: u8) {
    for ksk in [true, false] {
        let mut args = vec![
            "keygen".to_string(),
            origin.to_string(),
            "--alg".into(),
            alg.to_string(),
            "--dir".into(),
        ];
        args.push(dir.display().to_string());
        if ksk {
            args.push("--ksk".into());
        }
        let o = zonesign(&args);
        assert!(o.status.success(), "keygen: {}", text(&o.stderr));
    }
}

/// Signs `zone` and returns (signed file, DS file).
fn sign(zone: &Path, origin: &str, alg: u8, mode: Mode, work: &Path) -> (PathBuf, PathBuf) {
    let keydir = work.join(format!("keys{alg}"));
    if !keydir.exists() {
        std::fs::create_dir_all(&keydir).expect("mkdir");
        keys(&keydir, origin, alg);
    }
    let out = work.join(format!("signed.{alg}.{mode:?}"));
    let ds = work.join(format!("ds.{alg}.{mode:?}"));
    let mut args: Vec<String> = vec![
        "sign".into(),
        zone.display().to_string(),
        "--origin".into(),
        origin.into(),
        "--keys".into(),
        keydir.display().to_string(),
        "-f".into(),
        out.display().to_string(),
        "--ds-out".into(),
        ds.display().to_string(),
        "--quiet".into(),
    ];
    args.extend(SIGN_WINDOW.iter().map(|s| s.to_string()));
    args.extend(mode.flags().iter().map(|s| s.to_string()));
    let o = zonesign(&args);
    assert!(
        o.status.success(),
        "sign {} alg {alg} {mode:?}: {}",
        zone.display(),
        text(&o.stderr)
    );
    (out, ds)
}

#[test]
fn bundled_example_every_algorithm_and_denial_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/example.com.zone");
    for alg in [8u8, 13, 14, 15] {
        for mode in ALL_MODES {
            let (signed, ds) = sign(&zone, "example.com.", alg, mode, dir.path());
            peers_accept(&signed, &ds, "example.com", true);
        }
    }
    // RSASHA512 once.
    let (signed, ds) = sign(&zone, "example.com.", 10, Mode::Nsec3, dir.path());
    peers_accept(&signed, &ds, "example.com", true);
}

#[test]
fn shared_zones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = interop_testdata().join("zones");
    for (file, origin) in [
        ("example.com.zone", "example.com."),
        ("example.org.zone", "example.org."),
        ("gen1000.zone", "example.com."),
    ] {
        let work = dir.path().join(file);
        std::fs::create_dir_all(&work).expect("mkdir");
        for (alg, mode) in [
            (13u8, Mode::Nsec),
            (13, Mode::Nsec3),
            (13, Mode::Nsec3OptOut),
            (15, Mode::Nsec3Salt),
            (8, Mode::Nsec),
        ] {
            let (signed, ds) = sign(&z.join(file), origin, alg, mode, &work);
            peers_accept(&signed, &ds, origin.trim_end_matches('.'), true);
        }
    }
}

fn generated(dir: &Path, names: u32, plain: bool) -> PathBuf {
    let zone = dir.join(format!("gen{names}{}.zone", if plain { "p" } else { "" }));
    let mut cmd = Command::new("python3");
    cmd.arg(project_root().join("scripts/genzone.py"))
        .args(["--names", &names.to_string(), "--seed", "3", "--out"])
        .arg(&zone);
    if plain {
        cmd.arg("--plain");
    }
    let o = cmd.output().expect("python3");
    assert!(o.status.success(), "genzone: {}", text(&o.stderr));
    zone
}

/// 10k names with delegations (secure and not), glue, data below cuts,
/// ENTs, wildcards and TTLs above a week.
#[test]
fn generated_10k_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = generated(dir.path(), 10_000, true);
    for (alg, mode) in [
        (13u8, Mode::Nsec),
        (13, Mode::Nsec3),
        (13, Mode::Nsec3OptOut),
        (15, Mode::Nsec3Salt),
    ] {
        let (signed, ds) = sign(&zone, "example.com.", alg, mode, dir.path());
        peers_accept(&signed, &ds, "example.com", true);
    }
    // The full variant also has data below a DNAME and $GENERATE: Knot
    // refuses data below a DNAME by policy, so only BIND and ldns judge it.
    let full = generated(dir.path(), 10_000, false);
    let work = dir.path().join("full");
    std::fs::create_dir_all(&work).expect("mkdir");
    let (signed, ds) = sign(&full, "example.com.", 13, Mode::Nsec3OptOut, &work);
    peers_accept(&signed, &ds, "example.com", false);
}
